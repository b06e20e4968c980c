import type { CycleResult } from "../cycle/index.js";
import type { Logger } from "../log/index.js";
import type { Clock } from "../model/index.js";
import { assessCycleBudget, type KlaxoonRate } from "./schedule/cycle-budget.js";
import { verdictOfError, verdictOfResult, type CycleVerdict } from "./quarantine/cycle-verdict.js";
import type { DaemonEvent } from "./observe/events.js";
import type { HealthStatus } from "./observe/health-status.js";
import type { DaemonMetrics } from "./observe/metrics.js";
import { silentNotifier, type Notifier } from "./observe/notifier.js";
import { evaluateQuarantine, type QuarantineDecision } from "./quarantine/quarantine.js";
import { healthyState, type QuarantineState } from "./quarantine/quarantine-state.js";
import { runWithGrace } from "./schedule/run-guarded.js";
import { scheduleOf } from "./schedule/schedule.js";
import { runScheduled, type CycleSlot } from "./schedule/scheduler.js";
import { type LeaverLane, runLeaverLane } from "./schedule/leaver-lane.js";
import type { DaemonSettings } from "../config/index.js";

export interface DaemonDeps {
  readonly settings: DaemonSettings;
  /** One reconcile; the signal aborts when the shutdown deadline passes (a cycle may ignore it). */
  readonly runCycle: (signal: AbortSignal) => Promise<CycleResult>;
  /** A leaver-lane pass, run between cycles every `settings.leaverLane.intervalMinutes` (0: never). */
  readonly runLane?: (signal: AbortSignal) => Promise<CycleResult>;
  /** The quarantine record, kept with the state file by the caller; null when none was saved. */
  readonly loadQuarantine: () => Promise<QuarantineState | null>;
  readonly saveQuarantine: (state: QuarantineState) => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Aborted on SIGTERM/SIGINT: no new cycle starts, the running one gets `shutdownGraceSeconds`. */
  readonly signal: AbortSignal;
  readonly notifier?: Notifier;
  readonly metrics?: DaemonMetrics;
  /** Shared with the health server; updated after each cycle. */
  readonly health?: HealthStatus;
  /** Klaxoon's rate budget, to tell how long a cycle's writes need at least (cycle-budget.ts). */
  readonly klaxoonRequestsPerSecond?: KlaxoonRate;
}

export interface DaemonExit {
  readonly cycles: number;
  readonly quarantine: QuarantineState;
  /** True when a cycle was still running at the shutdown deadline. */
  readonly abandonedCycle: boolean;
}

export const ADMIN_MUST_ACT =
  "provisioning is disabled after too long in quarantine: fix the cause, then reset the quarantine and restart the agent";

/** Runs cycles until `signal` aborts; resolves (never rejects on a cycle's error) once state is saved. */
export async function runDaemon(deps: DaemonDeps): Promise<DaemonExit> {
  const { settings, clock, logger, signal } = deps;
  const notifier = deps.notifier ?? silentNotifier;
  let quarantine = (await deps.loadQuarantine()) ?? healthyState();
  let cycles = 0;
  let abandonedCycle = false;
  reflect(deps, quarantine);

  const runOnce = async (slot: CycleSlot): Promise<Date | null> => {
    const guarded = await runWithGrace(deps.runCycle, {
      shutdown: signal,
      graceMs: settings.shutdownGraceSeconds * 1000,
      clock,
      logger,
    });
    if (guarded.status === "abandoned") {
      abandonedCycle = true;
      return null;
    }
    cycles++;
    const finishedAt = clock.now();
    const seconds = (finishedAt.getTime() - slot.startedAt.getTime()) / 1000;
    const verdict = guarded.status === "done" ? verdictOfResult(guarded.value) : verdictOfError(guarded.error);
    if (guarded.status === "done") deps.metrics?.recordCycle(guarded.value, seconds);
    else deps.metrics?.observeCycle("error", seconds);
    if (verdict.kind === "error") logger.error({ code: verdict.code, error: verdict.message }, "cycle failed");
    checkBudget(deps, slot, finishedAt, guarded.status === "done" ? guarded.value.plan.operations.length : 0);

    const previous = quarantine;
    const decision = evaluateQuarantine(
      quarantine,
      verdict,
      { now: finishedAt, nextScheduled: slot.nextScheduled },
      settings.quarantine,
    );
    quarantine = decision.state;
    await save(deps, quarantine);
    reflect(deps, quarantine, verdict, finishedAt);
    logDecision(logger, decision);
    for (const event of eventsOf(previous, verdict, decision, guarded.status === "done" ? guarded.value : null))
      await notifier.notify(event);
    return decision.nextCycleAt;
  };

  if (quarantine.status === "disabled") {
    logger.error({ reason: quarantine.reason, since: quarantine.since }, ADMIN_MUST_ACT);
  } else {
    const firstStartAt =
      quarantine.status === "quarantined" && quarantine.nextAttemptAt !== null
        ? new Date(quarantine.nextAttemptAt)
        : undefined;
    if (firstStartAt)
      logger.warn(
        { reason: quarantine.reason, nextAttemptAt: quarantine.nextAttemptAt },
        "starting in quarantine: waiting for the next retry",
      );
    const lane = leaverLaneOf(deps, () => quarantine.status === "healthy");
    if (lane) logger.info({ intervalMinutes: settings.leaverLane.intervalMinutes }, "leaver lane on");
    const stop = await runScheduled({
      clock,
      schedule: scheduleOf(settings),
      logger,
      signal,
      runOnStart: settings.runOnStart,
      firstStartAt,
      runOnce,
      between: lane ? (until) => runLeaverLane(lane, until) : undefined,
    });
    if (stop === "stopped" && !abandonedCycle) logger.error({ reason: quarantine.reason }, ADMIN_MUST_ACT);
  }
  // Disabled: stay up (readyz says why) until asked to stop, rather than exit and be restarted in a loop.
  await waitForAbort(signal);
  await save(deps, quarantine);
  logger.info({ cycles, quarantine: quarantine.status, abandonedCycle }, "daemon stopped");
  return { cycles, quarantine, abandonedCycle };
}

function leaverLaneOf(deps: DaemonDeps, active: () => boolean): LeaverLane | null {
  const { settings } = deps;
  if (deps.runLane === undefined || settings.leaverLane.intervalMinutes === 0) return null;
  return {
    intervalMs: settings.leaverLane.intervalMinutes * 60_000,
    runPass: deps.runLane,
    active,
    clock: deps.clock,
    logger: deps.logger.child({ lane: "leavers" }),
    signal: deps.signal,
    graceMs: settings.shutdownGraceSeconds * 1000,
    metrics: deps.metrics,
  };
}

/** Warns (log and /readyz) when the cycle did not fit its interval; clears the warning when it did. */
function checkBudget(deps: DaemonDeps, slot: CycleSlot, finishedAt: Date, writes: number): void {
  const warning = assessCycleBudget({
    startedAt: slot.startedAt,
    finishedAt,
    nextScheduled: slot.nextScheduled,
    writes,
    klaxoonRequestsPerSecond: deps.klaxoonRequestsPerSecond,
  });
  if (deps.health) deps.health.cycleBudgetWarning = warning?.message ?? null;
  if (!warning) return;
  const { durationSeconds, intervalSeconds, neededSeconds, suggestedIntervalMinutes } = warning;
  deps.logger.warn(
    { code: "INTERVAL_TOO_SHORT", durationSeconds, intervalSeconds, neededSeconds, suggestedIntervalMinutes },
    `interval too short: ${warning.message}`,
  );
}

async function save(deps: DaemonDeps, state: QuarantineState): Promise<void> {
  try {
    await deps.saveQuarantine(state);
  } catch (error) {
    deps.logger.error(
      { error: error instanceof Error ? error.message : String(error) },
      "could not save the quarantine state",
    );
  }
}

function reflect(deps: DaemonDeps, state: QuarantineState, verdict?: CycleVerdict, at?: Date): void {
  deps.metrics?.setQuarantine(state.status);
  const health = deps.health;
  if (verdict?.kind === "success" && at) deps.metrics?.setLastSuccess(at);
  if (!health) return;
  health.quarantine = state.status;
  if (verdict === undefined) return;
  health.lastCycle = verdict.kind === "error" ? "fatal" : "ok";
  health.lastErrorCode = verdict.kind === "error" ? verdict.code : null;
  if (verdict.kind === "success" && at) health.lastSuccessAt = at.toISOString();
}

function logDecision(logger: Logger, decision: QuarantineDecision): void {
  const { state } = decision;
  const fields = {
    status: state.status,
    reason: state.reason,
    since: state.since,
    failedCycles: state.failedCycles,
    nextCycleAt: decision.nextCycleAt?.toISOString() ?? null,
  };
  switch (decision.transition) {
    case "entered":
    case "reasonChanged":
    case "stayed":
      return logger.warn(fields, decision.transition === "entered" ? "entered quarantine" : "still in quarantine");
    case "left":
      return logger.info(fields, "left quarantine");
    case "disabled":
      return logger.error(fields, "disabled after quarantine");
    case "none":
      return logger.debug(fields, "quarantine unchanged");
  }
}

function eventsOf(
  previous: QuarantineState,
  verdict: CycleVerdict,
  decision: QuarantineDecision,
  result: CycleResult | null,
): DaemonEvent[] {
  const events: DaemonEvent[] = [];
  const { state } = decision;
  if (verdict.kind === "held" && result) {
    events.push({
      type: "guardHeld",
      held: verdict.held,
      deactivations: result.plan.guard.deactivations,
      reason: result.plan.guard.reason,
    });
  }
  if (verdict.kind === "failures")
    events.push({
      type: "cycleFailures",
      failed: verdict.failed,
      attempted: verdict.attempted,
      byStatus: verdict.byStatus,
    });
  if (state.reason !== null && decision.transition === "entered") {
    events.push({
      type: "quarantineEntered",
      reason: state.reason,
      since: state.since ?? "",
      nextAttemptAt: state.nextAttemptAt,
    });
  }
  if (state.reason !== null && decision.transition === "reasonChanged")
    events.push({ type: "quarantineReasonChanged", reason: state.reason, nextAttemptAt: state.nextAttemptAt });
  if (state.reason !== null && decision.transition === "disabled")
    events.push({ type: "disabled", reason: state.reason, since: state.since });
  if (decision.transition === "left") events.push({ type: "quarantineLeft", since: previous.since });
  return events;
}

async function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
