/**
 * The composition root: turns a validated config into the logger, state store, clock, adapters,
 * metrics and notifier, once per command, for every command. Nothing else builds them.
 */
import type { Composition } from "../cli/index.js";
import type { AgentConfig } from "../config/index.js";
import { createLogger, type Logger } from "../log/index.js";
import type { Clock } from "../model/index.js";
import { openStateStore } from "../state/index.js";
import type { RequestObservers } from "./adapter-settings.js";
import { openAgentSession } from "./agent-session.js";
import { openPushedSession, pushgatewayFor } from "./pushed-session.js";

export interface CompositionIo {
  /** Where log lines go (the process's stderr). */
  readonly stderr: NodeJS.WritableStream;
  /** Pretty logs and a live progress line for people at a terminal; JSON lines otherwise. */
  readonly terminal: NodeJS.WriteStream | null;
  readonly clock: Clock;
}

export function composeAgent(io: CompositionIo): Composition {
  const loggerFor = (config: AgentConfig): Logger =>
    createLogger({ level: config.log.level, pretty: io.terminal !== null, destination: io.stderr });
  const storeFor = (config: AgentConfig) => openStateStore(config.state.path, io.clock);
  return {
    openSession: async (config, options) => {
      const logger = loggerFor(config);
      const open = (observers: RequestObservers) =>
        openAgentSession(
          config,
          { logger, store: storeFor(config), clock: io.clock, progressTerminal: io.terminal, observers },
          options,
        );
      const pushgateway = pushgatewayFor(config, options);
      return pushgateway === null ? open({}) : openPushedSession(pushgateway, { logger, clock: io.clock }, open);
    },
    connectionProbes: async (config) => {
      const { buildConnectionProbes } = await import("./connection-probes.js");
      return buildConnectionProbes(config, loggerFor(config), io.clock);
    },
    runDaemon: async (config) => {
      // Loaded only here: the daemon brings metrics and the health server, which one-shot commands never use.
      const { runDaemonCommand } = await import("./run-daemon.js");
      const store = storeFor(config);
      const logger = loggerFor(config);
      return runDaemonCommand(config, {
        store,
        clock: io.clock,
        openSession: (observers) =>
          openAgentSession(
            config,
            { logger, store, clock: io.clock, progressTerminal: io.terminal, observers },
            { lock: true },
          ),
      });
    },
    stateStore: storeFor,
  };
}
