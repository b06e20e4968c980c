import type { Logger } from "../log/index.js";
import type { Plan } from "../plan/index.js";
import type { AgentState } from "../state/index.js";
import { checkBeforeReading, explanationFor, planForMode, workForMode } from "./cycle-mode.js";
import { computeDesiredState, type DesiredState } from "./desired-state.js";
import type { Explanation } from "./explain/explanation.js";
import { planCycle, type PlanCycleInput } from "./plan-cycle.js";
import type { IncrementalRead, QuietBasis, ReadAhead, TargetReader } from "./ports.js";
import { loadState, readEntra } from "./read-entra.js";
import type { SpanAttributes, Tracing } from "./tracing.js";
import type { CycleDeps, CycleSettings } from "./types.js";
import {
  listTargets,
  selectWork,
  targetPaths,
  type CycleWork,
  type TargetListing,
  type TargetReadRequest,
} from "./work/index.js";

/** What a cycle applies and records, made from both ends; the Entra snapshot stays in here. */
export interface Prepared {
  readonly state: AgentState;
  readonly plan: Plan;
  readonly work: CycleWork;
  readonly desired: DesiredState;
  /** The directory checkpoint the record saves. */
  readonly checkpoint: IncrementalRead["checkpoint"];
  /** The Klaxoon attributes the mappings write, which the record reads back. */
  readonly paths: TargetReadRequest;
  readonly rulesChanged: boolean;
  readonly explanation: Explanation | undefined;
  /** What a settled record of this cycle would rest on (see quiet/). */
  readonly quietBasis: QuietBasis | null;
}

/**
 * Read Entra, map, choose the work, plan. The snapshot is not returned: once the plan is made,
 * nothing needs it, and at 100,000 users it is 16 MB that need not live through applying and
 * recording (the largest cycles' memory peaks there).
 */
export async function prepare(
  settings: CycleSettings,
  deps: CycleDeps,
  cycle: {
    readonly log: Logger;
    readonly tracing: Tracing;
    readonly startedAt: Date;
    /** What a quiet check read before it found a change. */
    readonly readAhead: ReadAhead | null;
  },
): Promise<Prepared> {
  const { log, tracing, startedAt } = cycle;
  const { mappings, scopes } = settings;
  const reviewedBasis = checkBeforeReading(settings, startedAt);
  const paths = targetPaths(mappings);
  const { state, read, rulesChanged, listing } = await tracing.withSpan("cycle.read_entra", {}, async (span) => {
    const loaded = await loadState(settings, deps, log);
    const listing = loaded.readsWhole ? listBeside(deps.targetReader, paths) : undefined;
    const entra = { ...(await readEntra(settings, deps, loaded, log, cycle.readAhead)), listing };
    const { snapshot, mode } = entra.read;
    span.setAttributes({
      "entra.read_mode": mode,
      "entra.users": snapshot.users.size,
      "entra.groups": snapshot.groups.size,
      "entra.assignments": snapshot.assignmentCount,
    });
    return entra;
  });
  const desired = await tracing.withSpan("cycle.map", {}, async () =>
    computeDesiredState(read.snapshot, mappings, scopes, { now: deps.now, random: deps.random }),
  );
  const { onDemand, guard } = settings;
  const reader = deps.targetReader;
  const work = await tracing.withSpan("cycle.read_klaxoon", {}, async (span) => {
    const request = { onDemand, read, state, desired, mappings, scopes, guard, reader, paths, listing };
    const chosen = await selectWork(request, log);
    const selected = workForMode(settings, chosen);
    span.setAttributes({
      "klaxoon.users": selected.actual.users.length,
      "klaxoon.groups": selected.actual.groups.length,
    });
    return selected;
  });
  const sources = { desired, fingerprints: work.fingerprints, actual: work.actual, links: state.links };
  const plan = await tracing.withSpan("cycle.plan", {}, async (span) => {
    const fresh = planCycle(work, desired, {
      ...planningOf(settings, startedAt),
      droppedAttributes: state.droppedAttributes,
    });
    const planned = planForMode(settings, fresh, { reviewedBasis, sources });
    span.setAttributes(planAttributes(planned));
    return planned;
  });
  const explanation = settings.dryRun
    ? explanationFor(settings, {
        snapshot: read.snapshot,
        mappings,
        scopes,
        actual: work.actual,
        links: state.links,
        plan,
        escrows: state.escrows,
        now: startedAt,
        runtime: { now: deps.now, random: deps.random },
      })
    : undefined;
  const quietBasis = read.quietBasis ?? null;
  return { state, plan, work, desired, checkpoint: read.checkpoint, paths, rulesChanged, explanation, quietBasis };
}

/** What the planner is given besides the work, the desired state and the state's dropped attributes. */
export function planningOf(settings: CycleSettings, createdAt: Date): Omit<PlanCycleInput, "droppedAttributes"> {
  const { protection, mappings, skipOutOfScopeDeletions } = settings;
  return { createdAt, protection, mappings, skipOutOfScopeDeletions };
}

/**
 * Klaxoon's listing, started now and awaited after the Graph read: a cycle that reads Entra whole
 * lists Klaxoon whole whatever Entra holds, so the two reads need not wait for each other. Should
 * the Graph read fail first, the listing's own failure is not left unhandled: the cycle reports
 * the Graph error, as it would have without the listing.
 */
function listBeside(reader: TargetReader, paths: TargetReadRequest): Promise<TargetListing> {
  const listing = listTargets(reader, paths);
  listing.catch(() => undefined);
  return listing;
}

/** The plan in numbers: its counts by category (fixed names), never an object. */
function planAttributes(plan: Plan): SpanAttributes {
  const counts: Record<string, number> = {};
  for (const [category, count] of Object.entries(plan.counts)) counts[`plan.count.${category}`] = count;
  return {
    "plan.operations": plan.operations.length,
    "plan.held": plan.held.length,
    "plan.warnings": plan.warnings.length,
    "plan.guard_held": plan.guard.held,
    ...counts,
  };
}
