export { runCycle } from "./run-cycle.js";
export type { CycleResult, CycleSettings, CycleState } from "./types.js";
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
  QuietBasis,
  QuietCheck,
  ReadAhead,
} from "./ports.js";
export type { OnDemandRequest, OnDemandStep } from "./work/index.js";
export type { Explanation, ExplainedMapping, Verdict } from "./explain/explanation.js";
export { bindingFor } from "./state-binding.js";
export type { ReviewedPlan } from "./reviewed/check-reviewed.js";
export { noTracing, type SpanAttributes, type SpanHandle, type Tracing } from "./tracing.js";
