import type { CycleVerdict } from "./cycle-verdict.js";
import { healthyState, type QuarantineReason, type QuarantineState } from "./quarantine-state.js";
import type { QuarantineSettings } from "../../config/index.js";

export type QuarantineTransition = "none" | "entered" | "stayed" | "reasonChanged" | "left" | "disabled";

export interface QuarantineDecision {
  readonly state: QuarantineState;
  readonly transition: QuarantineTransition;
  /** When the next cycle starts; null once disabled (an administrator must act). */
  readonly nextCycleAt: Date | null;
}

export interface QuarantineClock {
  readonly now: Date;
  /** When the next cycle would start if the agent were healthy (from the interval or cron). */
  readonly nextScheduled: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Entra's quarantine (application-provisioning-quarantine-status.md), as a pure step: refused
 * credentials or a non-compliant target quarantine at once; a cycle whose failed operations are
 * more than `failureRatio` of those counted, and at least `minimumFailures`, quarantines; while
 * quarantined, retries follow the schedule from the first failure; after `giveUpAfterDays` the
 * agent is disabled; one healthy cycle ends quarantine. A held deletion guard is not a failure.
 */
export function evaluateQuarantine(
  previous: QuarantineState,
  verdict: CycleVerdict,
  at: QuarantineClock,
  settings: QuarantineSettings,
): QuarantineDecision {
  if (previous.status === "disabled") return { state: previous, transition: "none", nextCycleAt: null };
  const failure = classify(previous, verdict, settings);
  if (failure === null) {
    return {
      state: healthyState(),
      transition: previous.status === "quarantined" ? "left" : "none",
      nextCycleAt: at.nextScheduled,
    };
  }
  const now = at.now;
  if (previous.status === "healthy") {
    const failingSince = previous.failingSince ?? now.toISOString();
    if (!failure.quarantine) {
      return {
        state: { ...previous, consecutiveErrors: previous.consecutiveErrors + 1, failingSince },
        transition: "none",
        nextCycleAt: at.nextScheduled,
      };
    }
    const since = new Date(failingSince);
    const next = nextRetry(since, now, settings);
    const state: QuarantineState = {
      status: "quarantined",
      since: since.toISOString(),
      reason: failure.reason,
      failedCycles: 1,
      consecutiveErrors: previous.consecutiveErrors + (verdict.kind === "error" ? 1 : 0),
      failingSince,
      nextAttemptAt: next.toISOString(),
    };
    return { state, transition: "entered", nextCycleAt: next };
  }
  const since = new Date(previous.since ?? now.toISOString());
  const counts = {
    failedCycles: previous.failedCycles + 1,
    consecutiveErrors: verdict.kind === "error" ? previous.consecutiveErrors + 1 : 0,
  };
  if (now.getTime() - since.getTime() >= settings.giveUpAfterDays * DAY) {
    return {
      state: { ...previous, ...counts, status: "disabled", reason: failure.reason, nextAttemptAt: null },
      transition: "disabled",
      nextCycleAt: null,
    };
  }
  const next = nextRetry(since, now, settings);
  const transition = previous.reason?.code === failure.reason.code ? "stayed" : "reasonChanged";
  return {
    state: { ...previous, ...counts, reason: failure.reason, nextAttemptAt: next.toISOString() },
    transition,
    nextCycleAt: next,
  };
}

interface Failure {
  /** False for an error that has not yet repeated `maxConsecutiveErrors` times (healthy agents only). */
  readonly quarantine: boolean;
  readonly reason: QuarantineReason;
}

/** Null when the cycle counts as healthy. */
function classify(previous: QuarantineState, verdict: CycleVerdict, settings: QuarantineSettings): Failure | null {
  switch (verdict.kind) {
    case "success":
    case "held":
      return null;
    case "failures": {
      const over =
        verdict.attempted > 0 &&
        verdict.failed >= settings.minimumFailures &&
        verdict.failed / verdict.attempted > settings.failureRatio;
      if (!over) return null;
      const percent = Math.round((verdict.failed / verdict.attempted) * 100);
      return {
        quarantine: true,
        reason: {
          code: "FAILURE_RATIO",
          message: `${verdict.failed} of ${verdict.attempted} operations failed (${percent}%, above ${Math.round(settings.failureRatio * 100)}%)`,
        },
      };
    }
    case "error": {
      const immediate = verdict.configError || settings.immediateCodes.includes(verdict.code);
      const inARow = previous.consecutiveErrors + 1;
      const repeated = inARow >= settings.maxConsecutiveErrors;
      const message =
        immediate || !repeated ? verdict.message : `${inARow} cycles in a row failed; last: ${verdict.message}`;
      return { quarantine: immediate || repeated, reason: { code: verdict.code, message } };
    }
  }
}

/** The first retry strictly after `now`: `retryScheduleHours` from `since`, then every `retryEveryHours`, capped at the give-up time. */
export function nextRetry(since: Date, now: Date, settings: QuarantineSettings): Date {
  const giveUpAt = since.getTime() + settings.giveUpAfterDays * DAY;
  for (let step = 0; ; step++) {
    const at = since.getTime() + retryOffsetHours(step, settings) * HOUR;
    if (at >= giveUpAt) return new Date(Math.max(giveUpAt, now.getTime()));
    if (at > now.getTime()) return new Date(at);
  }
}

function retryOffsetHours(step: number, settings: QuarantineSettings): number {
  const schedule = settings.retryScheduleHours;
  const known = schedule[step];
  if (known !== undefined) return known;
  const last = schedule[schedule.length - 1] ?? 0;
  return last + settings.retryEveryHours * (step - schedule.length + 1);
}
