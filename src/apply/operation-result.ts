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
  /**
   * After a success whose answer carried the resource (see WriteOutcome's `stored`): the
   * attributes written that it holds otherwise, path → what it holds (null: nothing); empty when
   * it holds them all. Only the difference is kept: at 100,000 creates the whole answers were
   * 16 MB held until the cycle ended.
   */
  readonly heldOtherwise?: FlatAttributes;
}
