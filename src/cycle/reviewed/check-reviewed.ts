/**
 * `apply plan.json`: a reviewed plan is applied as reviewed, or not at all. Before anything is
 * read, the plan must be for these ends, rules and guard settings, and young enough; once both
 * sides are read, every object it touches must be as it was when the plan was made.
 */
import { PlanRefusedError } from "../../model/index.js";
import { objectKeyOf, type Plan, type PlanBasis, type PlanOperation } from "../../plan/index.js";
import type { StateBinding } from "../state-binding.js";
import { type BasisSources, objectBasis } from "./plan-basis.js";

/** Refusals carry this code; the CLI maps it to its exit code. */
export const PLAN_STALE = "PLAN_STALE";

/** How many changed objects a refusal names. */
const NAMED = 5;

export interface ReviewedPlan {
  readonly plan: Plan;
  /** Where it was read from, for messages. */
  readonly source: string;
  readonly maxAgeMinutes: number;
}

export interface CurrentBasis {
  readonly binding: StateBinding;
  readonly guard: { readonly maxDeactivations: number; readonly maxDeactivationPercent?: number | undefined };
  readonly now: Date;
}

/** Everything that can be checked without reading Entra or Klaxoon. Throws PLAN_STALE. */
export function checkPlanBasis(reviewed: ReviewedPlan, current: CurrentBasis): PlanBasis {
  const { plan, source } = reviewed;
  const basis = plan.basis;
  if (basis === undefined)
    throw new PlanRefusedError(
      PLAN_STALE,
      `${source}: this plan records no basis (an on-demand plan?): make it with sync --dry-run --plan-file`,
    );
  const refuse = (why: string): never => {
    throw new PlanRefusedError(
      PLAN_STALE,
      `${source}: refused, nothing written: ${why}; make a new plan and review it`,
    );
  };
  const { binding } = current;
  if (basis.graphTenantId !== binding.graphTenantId)
    refuse(`it was made for tenant ${basis.graphTenantId}, the config names ${binding.graphTenantId}`);
  if (basis.app !== binding.app) refuse(`it was made for app ${basis.app}, the config names ${binding.app}`);
  if (basis.targetUrl !== binding.targetUrl)
    refuse(`it was made for Klaxoon ${basis.targetUrl}, the config names ${binding.targetUrl}`);
  if (basis.rules !== binding.rules) refuse("the mappings, scoping or protect rules changed since it was made");
  const guard = {
    maxDeactivations: current.guard.maxDeactivations,
    maxDeactivationPercent: current.guard.maxDeactivationPercent ?? null,
  };
  if (
    guard.maxDeactivations !== basis.guard.maxDeactivations ||
    guard.maxDeactivationPercent !== basis.guard.maxDeactivationPercent
  )
    refuse("the deletion guard's settings changed since it was made");
  const ageMinutes = (current.now.getTime() - Date.parse(plan.createdAt)) / 60_000;
  if (!(ageMinutes <= reviewed.maxAgeMinutes))
    refuse(
      `it is ${Math.floor(ageMinutes)} minutes old (made ${plan.createdAt}), older than the ${reviewed.maxAgeMinutes} minutes allowed (reviewedPlans.maxAgeMinutes)`,
    );
  return basis;
}

/** Once both sides are read: every object the plan touches must be as it was. Throws PLAN_STALE naming the first that changed. */
export function checkPlanObjects(reviewed: ReviewedPlan, basis: PlanBasis, sources: BasisSources): void {
  const touched = operationsOf(reviewed.plan);
  const now = objectBasis(touched, sources);
  const changed: string[] = [];
  for (const op of touched) {
    const key = objectKeyOf(op);
    const then = basis.objects[key];
    const seen = now[key];
    if (then === undefined || seen === undefined) {
      changed.push(`${op.object.label} (not in the plan's basis)`);
      continue;
    }
    if (then.entra !== seen.entra) changed.push(`${op.object.label} (changed in Entra)`);
    else if (then.klaxoon !== seen.klaxoon) changed.push(`${op.object.label} (changed in Klaxoon)`);
  }
  const unique = [...new Set(changed)];
  if (unique.length > 0)
    throw new PlanRefusedError(
      PLAN_STALE,
      `${reviewed.source}: refused, nothing written: ${unique.length} object(s) it touches changed since it was made: ${unique.slice(0, NAMED).join(", ")}${unique.length > NAMED ? ", …" : ""}; make a new plan and review it`,
    );
}

/** The operations a plan touches objects with, applied or not. */
export function operationsOf(plan: Plan): PlanOperation[] {
  return [...plan.operations, ...plan.held, ...plan.protected.map((p) => p.operation)];
}
