import type { Plan, PlanOperation } from "./types.js";

/** What the leaver lane may write: a leaver loses access, nobody gains any. */
const LEAVER_ACTIONS: ReadonlySet<PlanOperation["action"]> = new Set(["deactivate", "removeMembers"]);

/**
 * The plan of a leaver-lane pass: the full plan's deactivations and member removals, nothing
 * else (no create, update, reactivation or addition). The deletion guard's verdict, the held
 * and protected operations and the warnings stay those of the full plan, so the lane is held
 * exactly when a regular cycle would be.
 */
export function leaversOnly(plan: Plan): Plan {
  const operations = plan.operations.filter((op) => LEAVER_ACTIONS.has(op.action));
  const counts: Record<string, number> = {};
  for (const op of operations) counts[`${op.kind}.${op.action}`] = (counts[`${op.kind}.${op.action}`] ?? 0) + 1;
  if (plan.held.length > 0) counts["user.deactivate.held"] = plan.held.length;
  if (plan.protected.length > 0) counts["protected"] = plan.protected.length;
  return { ...plan, operations, counts };
}
