/**
 * What a cycle's mode changes on the one path (read → scope → map → work → plan → apply →
 * record): `apply plan.json` applies the reviewed plan once it is checked, the leaver lane
 * keeps only deactivations and member removals, a regular dry run records its basis for a
 * later `apply`, and `explain` adds the object's explanation. Everything else is the same.
 */
import { leaversOnly, type Plan, type PlanBasis } from "../plan/index.js";
import { explainObject, type ExplainInput } from "./explain/explain-object.js";
import type { Explanation } from "./explain/explanation.js";
import { laneWork } from "./lane-work.js";
import { checkPlanBasis, checkPlanObjects } from "./reviewed/check-reviewed.js";
import type { BasisSources } from "./reviewed/plan-basis.js";
import { planToApply, reviewedWork, withBasis } from "./reviewed/plan-to-apply.js";
import type { CycleSettings } from "./types.js";
import type { CycleWork } from "./work/index.js";

/** Before anything is read: a reviewed plan for other ends, rules or guard settings, or too old, is refused. */
export function checkBeforeReading(settings: CycleSettings, now: Date): PlanBasis | null {
  const { reviewed } = settings;
  return reviewed === undefined
    ? null
    : checkPlanBasis(reviewed, { binding: settings.binding, guard: settings.guard, now });
}

/** The work as the mode records it: a reviewed plan and the lane record links only. */
export function workForMode(settings: CycleSettings, work: CycleWork): CycleWork {
  if (settings.reviewed !== undefined) return reviewedWork(work);
  return settings.lane ? laneWork(work) : work;
}

/** The plan the mode applies (or a dry run prints), from the plan this cycle computed. */
export function planForMode(
  settings: CycleSettings,
  fresh: Plan,
  context: { readonly reviewedBasis: PlanBasis | null; readonly sources: BasisSources },
): Plan {
  const { reviewed } = settings;
  if (reviewed !== undefined && context.reviewedBasis !== null) {
    // Every object it touches must be as it was (else PLAN_STALE); today's guard verdict applies.
    checkPlanObjects(reviewed, context.reviewedBasis, context.sources);
    return planToApply(reviewed.plan, fresh, settings.guard.allow);
  }
  if (settings.lane) return leaversOnly(fresh);
  if (settings.dryRun && settings.onDemand === undefined) return withBasis(fresh, basisOf(settings), context.sources);
  return fresh;
}

/** `explain`: the on-demand dry run's object, traced from the cycle's own data. */
export function explanationFor(
  settings: CycleSettings,
  input: Omit<ExplainInput, "request" | "readScope">,
): Explanation | undefined {
  const { onDemand } = settings;
  if (onDemand?.explain !== true) return undefined;
  return explainObject({ ...input, request: onDemand, readScope: settings.readScope });
}

function basisOf(settings: CycleSettings): Omit<PlanBasis, "objects"> {
  const { binding, guard } = settings;
  return {
    graphTenantId: binding.graphTenantId,
    app: binding.app,
    targetUrl: binding.targetUrl,
    rules: binding.rules,
    guard: { maxDeactivations: guard.maxDeactivations, maxDeactivationPercent: guard.maxDeactivationPercent ?? null },
  };
}
