import { randomUUID } from "node:crypto";
import { applyPlan, type ApplyReport, type OperationResult } from "../apply/index.js";
import type { Logger } from "../log/index.js";
import type { Plan } from "../plan/index.js";
import { computeDesiredState } from "./desired-state.js";
import { checkBeforeReading, explanationFor, planForMode, workForMode } from "./cycle-mode.js";
import { findDroppedAttributes, reportDroppedAttributes, withFindings } from "./dropped/index.js";
import { logDeferred, logPlan } from "./log-cycle.js";
import { planCycle } from "./plan-cycle.js";
import { loadState, readEntra } from "./read-entra.js";
import { recordCycle } from "./record/index.js";
import { toProvisioningRecord } from "./to-provisioning-record.js";
import { noTracing, type SpanAttributes, type Tracing } from "./tracing.js";
import type { CycleDeps, CycleOutcome, CycleResult, CycleSettings } from "./types.js";
import {
  listTargets,
  selectWork,
  targetPaths,
  type CycleWork,
  type TargetListing,
  type TargetReadRequest,
} from "./work/index.js";
import type { TargetReader } from "./ports.js";

/**
 * One reconcile: read Entra, map, choose the work (see work/), plan; then the one dry-run branch;
 * apply, check what Klaxoon stored, record. Every mode (delta, full, on demand) is the same path:
 * what differs is stated in the work.
 */
export async function runCycle(settings: CycleSettings, deps: CycleDeps): Promise<CycleResult> {
  const cycleId = randomUUID();
  const tracing = deps.tracing ?? noTracing;
  const attributes = { "cycle.id": cycleId, "cycle.dry_run": settings.dryRun, "cycle.on_demand": !!settings.onDemand };
  return tracing.withSpan("cycle", attributes, async (span) => {
    const result = await reconcile(settings, deps, cycleId, tracing);
    span.setAttributes({ "cycle.outcome": result.outcome });
    return result;
  });
}

async function reconcile(
  settings: CycleSettings,
  deps: CycleDeps,
  cycleId: string,
  tracing: Tracing,
): Promise<CycleResult> {
  const log = deps.logger.child({ cycleId });
  const startedAt = deps.now();
  log.info({ dryRun: settings.dryRun }, "cycle started");

  const { mappings, scopes } = settings;
  const reviewedBasis = checkBeforeReading(settings, startedAt);
  const paths = targetPaths(mappings);
  const { state, read, rulesChanged, listing } = await tracing.withSpan("cycle.read_entra", {}, async (span) => {
    const loaded = await loadState(settings, deps, log);
    const listing = loaded.readsWhole ? listBeside(deps.targetReader, paths) : undefined;
    const entra = { ...(await readEntra(settings, deps, loaded, log)), listing };
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
      createdAt: startedAt,
      protection: settings.protection,
      mappings,
      skipOutOfScopeDeletions: settings.skipOutOfScopeDeletions,
      droppedAttributes: state.droppedAttributes,
    });
    const planned = planForMode(settings, fresh, { reviewedBasis, sources });
    span.setAttributes(planAttributes(planned));
    return planned;
  });
  logPlan(log, plan);
  if (settings.dryRun) {
    log.info({ counts: plan.counts, operations: plan.operations.length }, "dry run: nothing written");
    const explanation = explanationFor(settings, {
      snapshot: read.snapshot,
      mappings,
      scopes,
      actual: work.actual,
      links: state.links,
      plan,
      escrows: state.escrows,
      now: startedAt,
      runtime: { now: deps.now, random: deps.random },
    });
    return {
      cycleId,
      outcome: "dryRun",
      plan,
      report: null,
      onDemandSteps: work.steps,
      ...(explanation ? { explanation } : {}),
      ...(rulesChanged ? { rulesChanged } : {}),
    };
  }

  const report = await tracing.withSpan("cycle.apply", { "apply.operations": plan.operations.length }, async (span) => {
    const applied = await apply(plan, work, settings, deps, cycleId, tracing);
    span.setAttributes({
      "apply.succeeded": applied.succeeded,
      "apply.failed": applied.failed,
      "apply.deferred": applied.deferred.length,
    });
    return applied;
  });
  return tracing.withSpan("cycle.record", {}, async () => {
    const dropped = await findDroppedAttributes(report, deps.targetReader, paths, log);
    const findings = reportDroppedAttributes(dropped, { cycleId, log, provisioningLog: deps.provisioningLog });
    logDeferred(log, report);
    const outcome = outcomeOf(plan, report);
    const record = {
      cycleId,
      plan,
      report,
      desired,
      fingerprints: work.fingerprints,
      work: work.planned,
      gone: work.gone,
      outcome,
      finishedAt: deps.now(),
      checkpoint: read.checkpoint,
      binding: settings.binding,
      dropped,
    };
    await deps.state.write(recordCycle(state, record, work.recording));
    logFinished(log, outcome, plan, report, deps.now().getTime() - startedAt.getTime());
    return { cycleId, outcome, plan: withFindings(plan, findings), report, onDemandSteps: work.steps };
  });
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

/** One phase's results in numbers: by outcome and by HTTP status. */
function phaseAttributes(results: readonly OperationResult[]): SpanAttributes {
  const counts: Record<string, number> = { "apply.results": results.length };
  for (const r of results) {
    const status = `apply.status.${r.status}`;
    counts[status] = (counts[status] ?? 0) + 1;
    if (r.httpStatus !== null) {
      const http = `apply.http_status.${r.httpStatus}`;
      counts[http] = (counts[http] ?? 0) + 1;
    }
  }
  return counts;
}

/** Applies the plan with the work's escrows, each result going to the provisioning log as it comes. */
async function apply(
  plan: Plan,
  work: CycleWork,
  settings: CycleSettings,
  deps: CycleDeps,
  cycleId: string,
  tracing: Tracing,
): Promise<ApplyReport> {
  deps.progress?.start(plan.operations.length);
  const report = await applyPlan(plan, deps.writer, {
    concurrency: settings.concurrency,
    escrows: work.escrows,
    now: deps.now,
    onResult: (result) => {
      deps.provisioningLog.record(toProvisioningRecord(cycleId, result));
      deps.progress?.tick();
    },
    // Each phase is one batch of requests: a span with its counts.
    aroundPhase: (phase, steps, run) =>
      tracing.withSpan(`cycle.apply.${phase}`, { "apply.phase": phase, "apply.steps": steps }, async (span) => {
        const results = await run();
        span.setAttributes(phaseAttributes(results));
        return results;
      }),
  });
  deps.progress?.finish();
  return report;
}

/** A held deletion guard outranks failures: the cycle stopped short of deactivating on purpose. */
function outcomeOf(plan: Plan, report: ApplyReport): CycleOutcome {
  if (plan.guard.held) return "held";
  return report.failed > 0 || report.deferred.length > 0 ? "failures" : "success";
}

function logFinished(log: Logger, outcome: CycleOutcome, plan: Plan, report: ApplyReport, durationMs: number): void {
  const { succeeded, failed } = report;
  log.info({ outcome, succeeded, failed, held: plan.held.length, durationMs, counts: plan.counts }, "cycle finished");
}
