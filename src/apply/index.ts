export { applyPlan, type ApplyPhase, type ApplyReport } from "./apply-plan.js";
export type { OperationResult } from "./operation-result.js";
export type { TargetWriter, PatchChange, WriteOutcome, FailureKind, MemberChange, CreatedGroup } from "./writer.js";
export { escrowKey, type Escrows } from "./escrow.js";
