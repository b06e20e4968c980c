/**
 * The one retry policy: pure. Callers pass the attempt number, the status, the Retry-After
 * header, the current time and a random source; the policy answers "retry after N ms" or "stop".
 * Honour Retry-After (seconds or HTTP-date); otherwise exponential back-off with full jitter.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (0 = never retry). */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  /** Upper bound for any single wait, Retry-After included. */
  readonly maxDelayMs: number;
  /** Statuses worth retrying; never a 4xx other than 408/429. */
  readonly retryStatuses: ReadonlySet<number>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 180_000,
  retryStatuses: new Set([408, 429, 500, 502, 503, 504]),
};

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false };

export interface RetryInput {
  /** 1 for the first retry. */
  readonly attempt: number;
  /** HTTP status, or null for a network error (connection reset, timeout). */
  readonly status: number | null;
  readonly retryAfter?: string | null | undefined;
  readonly nowMs: number;
  /** A number in [0, 1). */
  readonly random: number;
}

export function decideRetry(policy: RetryPolicy, input: RetryInput): RetryDecision {
  if (input.attempt > policy.maxRetries) return { retry: false };
  if (input.status !== null && !policy.retryStatuses.has(input.status)) return { retry: false };
  const fromHeader = parseRetryAfter(input.retryAfter, input.nowMs);
  const delay = fromHeader ?? backoffDelay(policy, input.attempt, input.random);
  return { retry: true, delayMs: Math.min(Math.max(0, delay), policy.maxDelayMs) };
}

/** Retry-After as milliseconds: delta-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === "") return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** Exponential back-off with full jitter: uniform in [base, base * 2^(attempt-1)], capped. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(policy.baseDelayMs + (ceiling - policy.baseDelayMs) * random);
}
