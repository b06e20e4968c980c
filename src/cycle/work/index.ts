export { selectWork, type WorkRequest } from "./select-work.js";
export type { CycleWork, Recording } from "./cycle-work.js";
export type { OnDemandRequest, OnDemandStep } from "./on-demand-types.js";
export { locate } from "./on-demand.js";
export { listTargets, targetPaths, type TargetListing, type TargetReadRequest } from "./read-target.js";
// For record/: what the state keeps of a cycle's work.
export { DEPARTED, fingerprintGroups, type Fingerprints } from "./fingerprints.js";
export { changedWork, workSize, type KindWork, type Work } from "./select-objects.js";
export { carriedWarnings, warningsToKeep } from "./carry-warnings.js";
