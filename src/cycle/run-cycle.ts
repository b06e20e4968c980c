import { randomUUID } from "node:crypto";
import { applyPlan, type ApplyReport, type OperationResult } from "../apply/index.js";
import type { Logger } from "../log/index.js";
import type { Plan } from "../plan/index.js";
import { findDroppedAttributes, reportDroppedAttributes, withFindings } from "./dropped/index.js";
import { logDeferred, logPlan } from "./log-cycle.js";
import { planningOf, prepare } from "./prepare-cycle.js";
import { attemptQuiet, runQuiet } from "./quiet/quiet-cycle.js";
import { settledRecord } from "./quiet/settle.js";
import { recordCycle } from "./record/index.js";
import { toProvisioningRecord } from "./to-provisioning-record.js";
import { noTracing, type SpanAttributes, type Tracing } from "./tracing.js";
import type { CycleDeps, CycleOutcome, CycleResult, CycleSettings } from "./types.js";
import type { CycleWork } from "./work/index.js";

/**
 * One reconcile: read Entra, map, choose the work (see work/), plan; then the one dry-run branch;
 * apply, check what Klaxoon stored, record. Every mode (delta, full, on demand) is the same path:
 * what differs is stated in the work. Before it, the one shortcut: a quiet cycle (quiet/), when
 * the last cycle left Klaxoon settled and Entra has not changed since; and after recording, the
 * test that decides whether this cycle left it settled.
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

  const attempt = await attemptQuiet(settings, deps, { log, tracing });
  if (attempt.kind === "quiet") {
    const { plan, report } = await runQuiet(attempt, deps, { cycleId, startedAt, log });
    logPlan(log, plan);
    logFinished(log, "success", plan, report, deps.now().getTime() - startedAt.getTime());
    return { cycleId, outcome: "success", plan, report, onDemandSteps: null };
  }
  const prepared = await prepare(settings, deps, { log, tracing, startedAt, readAhead: attempt.readAhead });
  const { state, plan, work, desired, checkpoint, paths, rulesChanged, explanation } = prepared;
  logPlan(log, plan);
  if (settings.dryRun) {
    log.info({ counts: plan.counts, operations: plan.operations.length }, "dry run: nothing written");
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
      checkpoint,
      binding: settings.binding,
      dropped,
    };
    const next = recordCycle(state, record, work.recording);
    // A pass that changed nothing (the leaver lane, mostly) leaves the file, and its quiet record, as they are.
    if (next !== state) await deps.state.write(next);
    const settled =
      work.recording === "outcome"
        ? settledRecord({
            cycleId,
            outcome,
            plan,
            next,
            desired,
            fingerprints: work.fingerprints,
            quietBasis: prepared.quietBasis,
            binding: settings.binding,
            planning: planningOf(settings, startedAt),
            guard: work.guard,
          })
        : null;
    if (settled !== null) await deps.state.writeQuiet?.(settled);
    logFinished(log, outcome, plan, report, deps.now().getTime() - startedAt.getTime());
    return { cycleId, outcome, plan: withFindings(plan, findings), report, onDemandSteps: work.steps };
  });
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
