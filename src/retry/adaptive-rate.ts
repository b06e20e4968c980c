/**
 * The shared request rate after throttling, pure: a 429 halves it (once per second at most, so
 * one burst of 429s from concurrent calls counts once); each quiet second gives back a tenth of
 * the rate it recovers to, until it is reached again (additive increase, multiplicative decrease).
 *
 * Without a configured limit (`"unlimited"`, an on-prem target with no rate limit of its own) the
 * rate is infinite until a 429 says otherwise: the first one halves the rate the server was
 * actually answering at, and recovery climbs back to that observed rate, then lifts the limit
 * again. So a server that does throttle after all is slowed as a limited one would be, and one
 * that throttled once (another client's burst) does not keep the agent paced for good.
 */

/** `klaxoon.requestsPerSecond`: requests a second, or no client-side limit at all. */
export type RateLimit = number | "unlimited";

export interface AdaptiveRate {
  /** The configured rate, never exceeded; Infinity without a limit. */
  readonly targetRps: number;
  /** Infinity while unlimited and not throttled. */
  readonly currentRps: number;
  /** Where recovery ends: the target, or (unlimited) the rate observed when first throttled. */
  readonly ceilingRps: number;
  /** When the rate last changed (ms, caller's clock). */
  readonly changedAtMs: number;
}

const FLOOR_RPS = 0.5;
const RECOVERY_SHARE_PER_SECOND = 0.1;

export function startRate(limit: RateLimit, nowMs: number): AdaptiveRate {
  const targetRps = limit === "unlimited" ? Number.POSITIVE_INFINITY : limit;
  return { targetRps, currentRps: targetRps, ceilingRps: targetRps, changedAtMs: nowMs };
}

/**
 * A 429 came back. `observedRps` is what the server was answering at (requests answered within
 * the last second, and in flight): the base when no limit was set, as half of Infinity says nothing.
 */
export function slowDownRate(rate: AdaptiveRate, nowMs: number, observedRps = 0): AdaptiveRate {
  if (rate.currentRps < rate.targetRps && nowMs - rate.changedAtMs < 1000) return rate;
  if (Number.isFinite(rate.currentRps)) {
    return { ...rate, currentRps: Math.max(FLOOR_RPS, rate.currentRps / 2), changedAtMs: nowMs };
  }
  const ceilingRps = Math.max(2 * FLOOR_RPS, observedRps);
  return { ...rate, currentRps: Math.max(FLOOR_RPS, ceilingRps / 2), ceilingRps, changedAtMs: nowMs };
}

export function recoverRate(rate: AdaptiveRate, nowMs: number): AdaptiveRate {
  if (rate.currentRps >= rate.targetRps) return rate;
  const seconds = Math.floor((nowMs - rate.changedAtMs) / 1000);
  if (seconds < 1) return rate;
  const raised = rate.currentRps + seconds * RECOVERY_SHARE_PER_SECOND * rate.ceilingRps;
  // Back at the ceiling: the configured rate, or no limit again.
  const currentRps = raised >= rate.ceilingRps ? rate.targetRps : raised;
  return { ...rate, currentRps, changedAtMs: rate.changedAtMs + seconds * 1000 };
}
