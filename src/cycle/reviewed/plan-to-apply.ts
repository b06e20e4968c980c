import type { GuardVerdict, Plan, PlanOperation, PlanBasis } from "../../plan/index.js";
import type { CycleWork } from "../work/index.js";
import { type BasisSources, objectBasis } from "./plan-basis.js";
import { operationsOf } from "./check-reviewed.js";

/**
 * What `apply` writes: exactly the reviewed plan's operations, with the deletion guard judged
 * again on today's read (this cycle's own plan, `fresh`, says whether it holds): held, its
 * deactivations wait; allowed once (`--allow-deactivations`), the ones it held at review apply too.
 */
export function planToApply(reviewed: Plan, fresh: Plan, allow: boolean): Plan {
  const isDeactivation = (op: PlanOperation) => op.action === "deactivate";
  const candidates = [...reviewed.operations, ...(allow ? reviewed.held : [])];
  const guard: GuardVerdict = fresh.guard;
  const operations = guard.held ? candidates.filter((op) => !isDeactivation(op)) : candidates;
  const held = guard.held ? candidates.filter(isDeactivation) : allow ? [] : reviewed.held;
  return { ...reviewed, operations, held, guard };
}

/** A reviewed plan is written now, whatever the escrow says, and records only the links it made (as on demand). */
export function reviewedWork(work: CycleWork): CycleWork {
  return { ...work, escrows: {}, carriedWarnings: [], recording: "linksOnly" };
}

/** The plan with what it was computed from, for `apply` to check (dry runs of regular cycles only). */
export function withBasis(plan: Plan, settings: Omit<PlanBasis, "objects">, sources: BasisSources): Plan {
  return { ...plan, basis: { ...settings, objects: objectBasis(operationsOf(plan), sources) } };
}
