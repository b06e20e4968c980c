export { runCycle, type CycleSettings, type CycleDeps, type CycleResult, type CycleOutcome, type StateStore } from "./run-cycle.js";
export type {
  DirectoryReader, TargetReader, TargetLookup, LookedUp, SnapshotRequest, ReadScope, DirectoryCheckpoint, IncrementalDirectoryReader, IncrementalRead, IncrementalReadRequest,
} from "./ports.js";
export type { OnDemandRequest, OnDemandStep } from "./on-demand.js";
export { bindingFor, normaliseTenantUrl, type StateBinding } from "./state-binding.js";
