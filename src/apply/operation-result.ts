/**
 * What applying one operation came to. Its own file because both apply-plan.ts (which makes
 * results) and escrow.ts (which turns failed ones into escrows) need it, and neither should
 * import the other for a type.
 */
import type { FlatAttributes } from "../model/index.js";
import type { PlanOperation } from "../plan/index.js";
import type { FailureKind } from "./writer.js";

export interface OperationResult {
  readonly operation: PlanOperation;
  readonly status: "success" | FailureKind | "skipped";
  readonly httpStatus: number | null;
  readonly message: string | null;
  /** The Klaxoon id, known after a create. */
  readonly targetId: string | null;
  /** After a success: what the server's answer says it holds for the attributes written, when it said (see WriteOutcome). */
  readonly stored?: FlatAttributes;
}
