import { shortDigest } from "../model/index.js";
import type { PlanOperation } from "../plan/index.js";
import type { OperationResult } from "./operation-result.js";

/**
 * Escrow, like Entra's: an operation that failed for a reason that may pass (throttled,
 * transient, Klaxoon's "confirmation pending", a uniqueness conflict) is retried in later
 * cycles with a growing delay; one that the server rejected as invalid is reported once and not
 * sent again until the change itself changes. Pure: the clock comes in as a value.
 */
export interface EscrowEntry {
  readonly fingerprint: string;
  readonly attempts: number;
  readonly firstFailedAt: string;
  readonly nextAttemptAt: string;
  readonly lastError: { readonly status: string; readonly httpStatus: number | null; readonly message: string | null };
  /** Invalid (400): never retried while the same change is planned. */
  readonly permanent: boolean;
}

export type Escrows = Readonly<Record<string, EscrowEntry>>;

const BASE_DELAY_MS = 5 * 60_000;
const MAX_DELAY_MS = 24 * 3_600_000;

export function escrowKey(op: PlanOperation): string {
  return `${op.kind}:${op.action}:${op.object.sourceId ?? op.object.targetId ?? op.object.label}`;
}

/** Identifies the exact change, so an edited change is tried again at once. */
export function fingerprintOf(op: PlanOperation): string {
  return shortDigest(JSON.stringify(op));
}

export interface EscrowSplit {
  readonly due: PlanOperation[];
  readonly deferred: { readonly operation: PlanOperation; readonly entry: EscrowEntry }[];
}

export function splitByEscrow(operations: readonly PlanOperation[], escrows: Escrows, now: Date): EscrowSplit {
  const split: EscrowSplit = { due: [], deferred: [] };
  for (const operation of operations) {
    const entry = escrows[escrowKey(operation)];
    const waiting =
      entry !== undefined &&
      entry.fingerprint === fingerprintOf(operation) &&
      (entry.permanent || Date.parse(entry.nextAttemptAt) > now.getTime());
    if (waiting) split.deferred.push({ operation, entry });
    else split.due.push(operation);
  }
  return split;
}

/**
 * The escrows after a cycle: successes clear theirs, failures add or grow theirs, deferred
 * ones stay, and entries for changes no longer planned are dropped (level-based: the plan is
 * the truth, the escrow only a delay).
 */
export function nextEscrows(
  previous: Escrows,
  planned: readonly PlanOperation[],
  results: readonly OperationResult[],
  now: Date,
): Record<string, EscrowEntry> {
  const plannedKeys = new Set(planned.map(escrowKey));
  const next: Record<string, EscrowEntry> = Object.fromEntries(
    Object.entries(previous).filter(([key]) => plannedKeys.has(key)),
  );
  for (const result of results) {
    const key = escrowKey(result.operation);
    if (result.status === "success") {
      delete next[key];
      continue;
    }
    if (result.status === "skipped") continue;
    const prior = next[key];
    const fingerprint = fingerprintOf(result.operation);
    const attempts = prior && prior.fingerprint === fingerprint ? prior.attempts + 1 : 1;
    // The next cycle retries twice at once (most 5xx and 429 pass quickly); then the delay grows.
    const delay = attempts <= 2 ? 0 : Math.min(BASE_DELAY_MS * 2 ** (attempts - 3), MAX_DELAY_MS);
    next[key] = {
      fingerprint,
      attempts,
      firstFailedAt: prior?.firstFailedAt ?? now.toISOString(),
      nextAttemptAt: new Date(now.getTime() + delay).toISOString(),
      lastError: { status: result.status, httpStatus: result.httpStatus, message: result.message },
      permanent: result.status === "invalid",
    };
  }
  return next;
}
