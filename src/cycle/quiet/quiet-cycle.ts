/**
 * A quiet cycle: the last cycle left Klaxoon settled (settle.ts), and nothing it read of Entra
 * changed since (the reader's quiet check: empty delta rounds, the same app and assignments).
 * The cycle it would have run would map the same snapshot to the same resources against the
 * same fingerprints and plan nothing; this one skips reading the state, mapping and planning,
 * and gives the plan recorded for it. It still proves both ends answer: Graph with the delta
 * rounds, Klaxoon with one authenticated read. Anything it cannot be sure of runs the cycle
 * in full, with what the check read handed on.
 */
import type { ApplyReport } from "../../apply/index.js";
import type { Logger } from "../../log/index.js";
import { PLAN_VERSION, type Plan } from "../../plan/index.js";
import type { QuietRecord } from "../../state/index.js";
import type { QuietBasis, ReadAhead } from "../ports.js";
import { snapshotRequestFor } from "../read-entra.js";
import { checkBinding } from "../state-binding.js";
import type { Tracing } from "../tracing.js";
import type { CycleDeps, CycleSettings } from "../types.js";

export type QuietAttempt =
  | { readonly kind: "quiet"; readonly record: QuietRecord; readonly basis: QuietBasis }
  | { readonly kind: "full"; readonly readAhead: ReadAhead | null };

const FULL: QuietAttempt = { kind: "full", readAhead: null };

/**
 * Only a regular cycle may be quiet: a dry run previews everything, a full read is asked for,
 * and on demand, a reviewed plan and the leaver lane have work of their own.
 */
function mayBeQuiet(settings: CycleSettings): boolean {
  const { dryRun, forceFullRead, onDemand, reviewed, lane } = settings;
  return !dryRun && !forceFullRead && onDemand === undefined && reviewed === undefined && lane === undefined;
}

export async function attemptQuiet(
  settings: CycleSettings,
  deps: CycleDeps,
  cycle: { readonly log: Logger; readonly tracing: Tracing },
): Promise<QuietAttempt> {
  const { state, directory } = deps;
  const { log, tracing } = cycle;
  if (!mayBeQuiet(settings) || !state.readQuiet || !directory.checkQuiet) return FULL;
  const checkQuiet = directory.checkQuiet.bind(directory);
  const record = await state.readQuiet();
  // Other rules or ends: the state's own checks (read-entra.ts) say what happens.
  if (record === null || checkBinding(record.binding, settings.binding).kind !== "same") return FULL;
  const check = await tracing.withSpan("cycle.quiet_check", {}, async (span) => {
    const checked = await checkQuiet(snapshotRequestFor(settings), record.directory);
    span.setAttributes({ "entra.unchanged": checked.unchanged });
    return checked;
  });
  if (!check.unchanged) {
    log.info({ reason: check.reason, settledBy: record.settledBy }, "Entra changed since the settled cycle");
    return { kind: "full", readAhead: check.readAhead };
  }
  return { kind: "quiet", record, basis: check.basis };
}

const NOTHING_APPLIED: ApplyReport = { results: [], created: [], succeeded: 0, failed: 0, deferred: [], escrows: {} };

/** Klaxoon is probed, the recorded plan given, the quiet record moved on to the new delta links. */
export async function runQuiet(
  attempt: Extract<QuietAttempt, { kind: "quiet" }>,
  deps: CycleDeps,
  cycle: { readonly cycleId: string; readonly startedAt: Date; readonly log: Logger },
): Promise<{ plan: Plan; report: ApplyReport }> {
  const { record } = attempt;
  const { log } = cycle;
  log.info({ mode: "quiet", settledBy: record.settledBy }, "read Entra: nothing changed since the settled cycle");
  await deps.targetReader.probe();
  const plan: Plan = {
    version: PLAN_VERSION,
    createdAt: cycle.startedAt.toISOString(),
    operations: [],
    held: [],
    protected: [],
    adoptions: [],
    warnings: record.plan.warnings,
    guard: record.plan.guard,
    counts: record.plan.counts,
  };
  const finishedAt = deps.now().toISOString();
  const lastCycle = { id: cycle.cycleId, finishedAt, outcome: "success", counts: { ...plan.counts } };
  await deps.state.writeQuiet?.({ ...record, directory: attempt.basis, lastCycle });
  return { plan, report: NOTHING_APPLIED };
}
