/**
 * The composition root: turns a validated config into the logger, state store, clock, adapters,
 * metrics and notifier, once per command, for every command. Nothing else builds them.
 */
import type { AgentSession, Composition } from "../cli/index.js";
import type { AgentConfig } from "../config/index.js";
import { createLogger, type Logger } from "../log/index.js";
import type { Clock } from "../model/index.js";
import { openStateStore, type StateStore } from "../state/index.js";
import { otlpConnection, pushgatewayConnection, type RequestObservers } from "./adapter-settings.js";
import { openAgentSession, type SessionParts } from "./agent-session.js";
import type { TracingSession } from "./otel-tracing.js";
import { openPushedSession, pushgatewayFor } from "./pushed-session.js";
import { tracingFor } from "./tracing.js";

export interface CompositionIo {
  /** Where log lines go (the process's stderr). */
  readonly stderr: NodeJS.WritableStream;
  /** Pretty logs and a live progress line for people at a terminal; JSON lines otherwise. */
  readonly terminal: NodeJS.WriteStream | null;
  readonly clock: Clock;
  /** The process's environment: OpenTelemetry's variables turn tracing on (config/tracing-env.ts). */
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
}

export function composeAgent(io: CompositionIo): Composition {
  const loggerFor = (config: AgentConfig): Logger =>
    createLogger({ level: config.log.level, pretty: io.terminal !== null, destination: io.stderr });
  const storeFor = (config: AgentConfig): StateStore => openStateStore(config.state.path, io.clock);
  /** What a session is made of; the logger and the tracing are the command's, one each. */
  const partsFor =
    (config: AgentConfig, shared: Pick<SessionParts, "logger" | "tracing">) =>
    (observers: RequestObservers): SessionParts => ({
      ...shared,
      store: storeFor(config),
      clock: io.clock,
      progressTerminal: io.terminal,
      observers,
    });
  return {
    openSession: async (config, options) => {
      const logger = loggerFor(config);
      const tracing = await tracingFor(io.env, otlpConnection(config), { logger, version: io.version });
      const parts = partsFor(config, { logger, tracing });
      const open = (observers: RequestObservers) => openAgentSession(config, parts(observers), options);
      const pushgateway = pushgatewayFor(config, options);
      return withTracing(tracing, () =>
        pushgateway === null
          ? open({})
          : openPushedSession(
              pushgateway,
              { logger, clock: io.clock, connection: pushgatewayConnection(config) },
              open,
            ),
      );
    },
    connectionProbes: async (config) => {
      const { buildConnectionProbes } = await import("./connection-probes.js");
      return buildConnectionProbes(config, loggerFor(config), io.clock);
    },
    runDaemon: async (config) => {
      // Loaded only here: the daemon brings metrics and the health server, which one-shot commands never use.
      const { runDaemonCommand } = await import("./run-daemon.js");
      const logger = loggerFor(config);
      const tracing = await tracingFor(io.env, otlpConnection(config), { logger, version: io.version });
      const parts = partsFor(config, { logger, tracing });
      const store = storeFor(config);
      return runDaemonCommand(config, {
        store,
        clock: io.clock,
        openSession: (observers) =>
          withTracing(tracing, () => openAgentSession(config, { ...parts(observers), store }, { lock: true })),
      });
    },
    stateStore: storeFor,
  };
}

/** The session, whose close also exports the spans left and stops tracing (also when it could not open). */
async function withTracing(tracing: TracingSession, open: () => Promise<AgentSession>): Promise<AgentSession> {
  let session: AgentSession;
  try {
    session = await open();
  } catch (error) {
    await tracing.shutdown();
    throw error;
  }
  return {
    ...session,
    close: async () => {
      try {
        await session.close();
      } finally {
        await tracing.shutdown();
      }
    },
  };
}
