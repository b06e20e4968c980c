import type { TargetWriter } from "../apply/index.js";
import type { AgentConfig } from "../config/index.js";
import { bindingFor, runCycle, type CycleResult, type IncrementalDirectoryReader, type OnDemandRequest, type TargetReader } from "../cycle/index.js";
import { createLogger, createProgress, ProvisioningLog, type Logger } from "../log/index.js";
import { lockState, readState, writeState, type StateLock } from "../state/index.js";

export interface Adapters {
  readonly directory: IncrementalDirectoryReader;
  readonly targetReader: TargetReader;
  readonly writer: TargetWriter;
  close(): Promise<void>;
}

/** Callbacks the adapters call for each HTTP answer (the daemon's request metrics). */
export interface RequestObservers {
  readonly scimResponse?: (status: number | "error") => void;
  readonly graphResponse?: (status: number | "error") => void;
}

/** Built by main.ts, the composition root: the only place that knows the concrete adapters. */
export type AdapterFactory = (config: AgentConfig, logger: Logger, observers: RequestObservers) => Promise<Adapters>;

export interface SessionIo {
  /** Pretty logs for people at a terminal, JSON lines otherwise. */
  readonly prettyLogs: boolean;
  /** Where the live progress line goes (stderr at a terminal), or null for progress log records. */
  readonly progressTerminal: NodeJS.WriteStream | null;
}

export interface CycleOptions {
  readonly dryRun: boolean;
  readonly allowDeactivations: boolean;
  readonly onDemand?: OnDemandRequest | undefined;
  /** Read the whole directory this time, even where a delta round could serve. */
  readonly fullRead?: boolean;
}

/** Everything one agent process holds while it runs cycles: lock, adapters, logs. */
export interface AgentSession {
  readonly logger: Logger;
  runOnce(options: CycleOptions): Promise<CycleResult>;
  close(): Promise<void>;
}

export async function openAgentSession(
  config: AgentConfig,
  io: SessionIo,
  buildAdapters: AdapterFactory,
  options: { readonly lock: boolean; readonly observers?: RequestObservers },
): Promise<AgentSession> {
  const logger = createLogger({ level: config.log.level, pretty: io.prettyLogs });
  // A dry run writes no state, so it may run beside a running agent; a real cycle may not.
  const lock: StateLock | null = options.lock ? await lockState(config.state.path) : null;
  let adapters: Adapters;
  try {
    adapters = await buildAdapters(config, logger, options.observers ?? {});
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const provisioningLog = new ProvisioningLog(logger, config.provisioningLog.file);
  const app = config.app.appId !== undefined ? { appId: config.app.appId } : { servicePrincipalId: config.app.servicePrincipalId ?? "" };
  const binding = bindingFor({ graphTenantId: config.graph.tenantId, app, tenantUrl: config.klaxoon.tenantUrl, rulesDigest: config.rulesDigest });
  const state = {
    read: async () => {
      const result = await readState(config.state.path, () => new Date());
      if (result.status === "missing") logger.info({ path: config.state.path }, "no state file yet: first cycle is a full one");
      if (result.status === "unusable") logger.warn({ path: config.state.path, movedTo: result.movedTo, reason: result.reason }, "state file unusable: moved aside, starting from a full cycle");
      if (result.status === "recovered") {
        logger.warn({ path: config.state.path, movedTo: result.movedTo, reason: result.reason, recoveredFrom: result.recoveredFrom }, "state file unusable: moved aside, recovered from its twin");
      }
      return result.state;
    },
    write: async (next: Parameters<typeof writeState>[1]) => writeState(config.state.path, next),
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
          concurrency: config.klaxoon.concurrency,
          dryRun: cycle.dryRun,
          forceFullRead: cycle.fullRead ?? false,
          onDemand: cycle.onDemand,
          binding,
          startAfreshCommand: `entra-klaxoon-sync reset --forget-links --config ${config.file}`,
        },
        { ...adapters, state, logger, provisioningLog, progress: createProgress(logger, io.progressTerminal), now: () => new Date(), random: Math.random },
      ),
    close: async () => {
      await provisioningLog.close();
      await adapters.close();
      await lock?.release();
      logger.flush();
    },
  };
}
