import { randomUUID } from "node:crypto";
import { applyPlan, type ApplyReport } from "../apply/index.js";
import type { Logger } from "../log/index.js";
import type { Plan } from "../plan/index.js";
import { computeDesiredState } from "./desired-state.js";
import { findDroppedAttributes, reportDroppedAttributes, withFindings } from "./dropped/index.js";
import { logDeferred, logPlan } from "./log-cycle.js";
import { planCycle } from "./plan-cycle.js";
import { readEntra } from "./read-entra.js";
import { recordCycle } from "./record/index.js";
import { toProvisioningRecord } from "./to-provisioning-record.js";
import type { CycleDeps, CycleOutcome, CycleResult, CycleSettings } from "./types.js";
import { selectWork, targetPaths, type CycleWork } from "./work/index.js";

/**
 * One reconcile: read Entra, map, choose the work (see work/), plan; then the one dry-run branch;
 * apply, check what Klaxoon stored, record. Every mode (delta, full, on demand) is the same path:
 * what differs is stated in the work.
 */
export async function runCycle(settings: CycleSettings, deps: CycleDeps): Promise<CycleResult> {
  const cycleId = randomUUID();
  const log = deps.logger.child({ cycleId });
  const startedAt = deps.now();
  log.info({ dryRun: settings.dryRun }, "cycle started");

  const { mappings, scopes } = settings;
  const { state, read } = await readEntra(settings, deps, log);
  const desired = computeDesiredState(read.snapshot, mappings, scopes, { now: deps.now, random: deps.random });
  const paths = targetPaths(mappings);
  const { onDemand, guard } = settings;
  const reader = deps.targetReader;
  const work = await selectWork({ onDemand, read, state, desired, mappings, scopes, guard, reader, paths }, log);
  const plan = planCycle(work, desired, {
    createdAt: startedAt,
    mappings,
    skipOutOfScopeDeletions: settings.skipOutOfScopeDeletions,
    droppedAttributes: state.droppedAttributes,
  });
  logPlan(log, plan);
  if (settings.dryRun) {
    log.info({ counts: plan.counts, operations: plan.operations.length }, "dry run: nothing written");
    return { cycleId, outcome: "dryRun", plan, report: null, onDemandSteps: work.steps };
  }

  const report = await apply(plan, work, settings, deps, cycleId);
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
}

/** Applies the plan with the work's escrows, each result going to the provisioning log as it comes. */
async function apply(
  plan: Plan,
  work: CycleWork,
  settings: CycleSettings,
  deps: CycleDeps,
  cycleId: string,
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
