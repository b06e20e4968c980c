export { applyPlan, type ApplyReport, type ApplyOptions } from "./apply-plan.js";
export type { OperationResult } from "./operation-result.js";
export type { TargetWriter, PatchChange, WriteOutcome, FailureKind, MemberChange, CreatedGroup } from "./writer.js";
export { splitByEscrow, nextEscrows, escrowKey, type Escrows, type EscrowEntry, type EscrowSplit } from "./escrow.js";
