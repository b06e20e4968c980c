/**
 * What the commands need from the composition root (src/main/), which alone knows the concrete
 * adapters, stores and clocks. The commands here only parse, dispatch and render.
 */
import type { AgentConfig } from "../config/index.js";
import type { CycleResult, OnDemandRequest, ReviewedPlan } from "../cycle/index.js";
import type { Logger } from "../log/index.js";
import type { StateStore } from "../state/index.js";
import type { ExitCode } from "./exit-codes.js";
import type { ConnectionProbes } from "./test-connection.js";

export interface CycleOptions {
  readonly dryRun: boolean;
  readonly allowDeactivations: boolean;
  readonly onDemand?: OnDemandRequest | undefined;
  /** A leaver-lane pass of the daemon (cycle/lane-work.ts): only deactivations and member removals. */
  readonly lane?: { readonly relistAssignments: boolean } | undefined;
  /** `apply plan.json`: write this reviewed plan as reviewed, or refuse. */
  readonly reviewed?: ReviewedPlan | undefined;
  /** Read the whole directory this time, even where a delta round could serve. */
  readonly fullRead?: boolean;
}

/** Everything one agent process holds while it runs cycles: lock, adapters, logs. */
export interface AgentSession {
  readonly logger: Logger;
  runOnce(options: CycleOptions): Promise<CycleResult>;
  close(): Promise<void>;
}

export interface Composition {
  /** The state lock (unless `lock` is false: a dry run writes no state), the adapters, the logs. */
  openSession(config: AgentConfig, options: { readonly lock: boolean }): Promise<AgentSession>;
  /** `test-connection`: the same Graph and SCIM settings as a cycle's. */
  connectionProbes(config: AgentConfig): Promise<ConnectionProbes>;
  /** `run`: cycles on a schedule until a signal, with quarantine, health, metrics and webhook. */
  runDaemon(config: AgentConfig): Promise<ExitCode>;
  stateStore(config: AgentConfig): StateStore;
}
