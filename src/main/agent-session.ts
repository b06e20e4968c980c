import type { AgentSession } from "../cli/index.js";
import type { AgentConfig } from "../config/index.js";
import { bindingFor, runCycle, type Tracing } from "../cycle/index.js";
import { createProgress, ProvisioningLog, type Logger } from "../log/index.js";
import type { Clock } from "../model/index.js";
import type { AgentState, StateLock, StateStore } from "../state/index.js";
import type { RequestObservers } from "./adapter-settings.js";
import { buildAdapters, type Adapters } from "./build-adapters.js";

export interface SessionParts {
  readonly logger: Logger;
  readonly store: StateStore;
  readonly clock: Clock;
  /** Where the live progress line goes (stderr at a terminal), or null for progress log records. */
  readonly progressTerminal: NodeJS.WriteStream | null;
  readonly observers: RequestObservers;
  /** Spans per cycle and phase (none unless OpenTelemetry is on: tracing.ts). */
  readonly tracing: Tracing;
}

export async function openAgentSession(
  config: AgentConfig,
  parts: SessionParts,
  options: { readonly lock: boolean },
): Promise<AgentSession> {
  const { logger, store } = parts;
  const lock: StateLock | null = options.lock ? await store.lock() : null;
  let adapters: Adapters;
  try {
    adapters = await buildAdapters(config, logger, parts.observers, parts.clock);
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const provisioningLog = new ProvisioningLog(logger, config.provisioningLog.file, () => parts.clock.now());
  const app =
    config.app.appId !== undefined
      ? { appId: config.app.appId }
      : { servicePrincipalId: config.app.servicePrincipalId ?? "" };
  const binding = bindingFor({
    graphTenantId: config.graph.tenantId,
    app,
    tenantUrl: config.klaxoon.tenantUrl,
    rulesDigest: config.rulesDigest,
  });
  const state = {
    read: () => readLogged(store, logger),
    write: store.write,
    readQuiet: store.readQuiet,
    writeQuiet: store.writeQuiet,
  };
  return {
    logger,
    runOnce: (cycle) =>
      runCycle(
        {
          app,
          readScope: config.app.scope,
          mappings: config.mappings,
          scopes: config.scoping,
          skipOutOfScopeDeletions: config.scoping.skipOutOfScopeDeletions,
          guard: { ...config.deletionGuard, allow: cycle.allowDeactivations },
          protection: config.protection,
          concurrency: config.klaxoon.concurrency,
          dryRun: cycle.dryRun,
          forceFullRead: cycle.fullRead ?? false,
          onDemand: cycle.onDemand,
          reviewed: cycle.reviewed,
          lane: cycle.lane,
          binding,
          startAfreshCommand: `entra-klaxoon-sync reset --forget-links --config ${config.file}`,
        },
        {
          ...adapters,
          state,
          logger,
          provisioningLog,
          progress: createProgress(logger, parts.progressTerminal),
          now: () => parts.clock.now(),
          random: Math.random,
          tracing: parts.tracing,
        },
      ),
    close: async () => {
      await provisioningLog.close();
      await adapters.close();
      await lock?.release();
      logger.flush();
    },
  };
}

/** The state for a cycle, saying why when it is not the file as last written. */
async function readLogged(store: StateStore, logger: Logger): Promise<AgentState> {
  const result = await store.read();
  const path = store.path;
  if (result.status === "missing") logger.info({ path }, "no state file yet: first cycle is a full one");
  if (result.status === "unusable")
    logger.warn(
      { path, movedTo: result.movedTo, reason: result.reason },
      "state file unusable: moved aside, starting from a full cycle",
    );
  if (result.status === "recovered") {
    logger.warn(
      { path, movedTo: result.movedTo, reason: result.reason, recoveredFrom: result.recoveredFrom },
      "state file unusable: moved aside, recovered from its twin",
    );
  }
  return result.state;
}
