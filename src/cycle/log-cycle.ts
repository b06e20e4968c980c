import type { ApplyReport } from "../apply/index.js";
import type { Logger } from "../log/index.js";
import type { Plan } from "../plan/index.js";

/** Each warning on its own line, up to a point: beyond it, one line per code with examples. */
const WARNINGS_PER_CODE = 20;

/** The plan's warnings, and a held deletion guard. */
export function logPlan(log: Logger, plan: Plan): void {
  const seen = new Map<string, number>();
  for (const warning of plan.warnings) {
    const count = (seen.get(warning.code) ?? 0) + 1;
    seen.set(warning.code, count);
    if (count > WARNINGS_PER_CODE) continue;
    log.warn({ code: warning.code, kind: warning.kind, object: warning.label }, warning.message);
  }
  for (const [code, count] of seen) {
    const more = count - WARNINGS_PER_CODE;
    if (more > 0) log.warn({ code, more }, `${more} more ${code} warnings (all of them are in the plan)`);
  }
  if (plan.guard.held) {
    log.warn({ held: plan.held.length, reason: plan.guard.reason }, "deletion guard holds deactivations");
  }
}

/** Operations held back by their escrow: a rejected one quietly (it was reported when rejected). */
export function logDeferred(log: Logger, report: ApplyReport): void {
  for (const { operation, entry } of report.deferred) {
    const fields = {
      action: operation.action,
      kind: operation.kind,
      object: operation.object.label,
      attempts: entry.attempts,
      nextAttemptAt: entry.nextAttemptAt,
      lastError: entry.lastError,
    };
    if (entry.permanent) log.debug(fields, "rejected before as invalid: not resent until the change changes");
    else log.info(fields, "in escrow: retried later");
  }
}
