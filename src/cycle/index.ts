export { runCycle, type CycleResult, type CycleSettings, type StateStore } from "./run-cycle.js";
export type {
  DirectoryReader,
  TargetReader,
  TargetLookup,
  LookedUp,
  SnapshotRequest,
  ReadScope,
  DirectoryCheckpoint,
  IncrementalDirectoryReader,
  IncrementalRead,
  IncrementalReadRequest,
} from "./ports.js";
export type { OnDemandRequest, OnDemandStep } from "./work/index.js";
export { bindingFor } from "./state-binding.js";
