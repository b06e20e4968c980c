/**
 * The shared request rate after throttling, pure: a 429 halves it (once per second at most, so
 * one burst of 429s from concurrent calls counts once); each quiet second gives back a tenth of
 * the configured rate until it is reached again (additive increase, multiplicative decrease).
 */
export interface AdaptiveRate {
  /** The configured rate, never exceeded. */
  readonly targetRps: number;
  readonly currentRps: number;
  /** When the rate last changed (ms, caller's clock). */
  readonly changedAtMs: number;
}

const FLOOR_RPS = 0.5;
const RECOVERY_SHARE_PER_SECOND = 0.1;

export function startRate(targetRps: number, nowMs: number): AdaptiveRate {
  return { targetRps, currentRps: targetRps, changedAtMs: nowMs };
}

export function slowDownRate(rate: AdaptiveRate, nowMs: number): AdaptiveRate {
  if (rate.currentRps < rate.targetRps && nowMs - rate.changedAtMs < 1000) return rate;
  return { ...rate, currentRps: Math.max(FLOOR_RPS, rate.currentRps / 2), changedAtMs: nowMs };
}

export function recoverRate(rate: AdaptiveRate, nowMs: number): AdaptiveRate {
  if (rate.currentRps >= rate.targetRps) return rate;
  const seconds = Math.floor((nowMs - rate.changedAtMs) / 1000);
  if (seconds < 1) return rate;
  const currentRps = Math.min(rate.targetRps, rate.currentRps + seconds * RECOVERY_SHARE_PER_SECOND * rate.targetRps);
  return { ...rate, currentRps, changedAtMs: rate.changedAtMs + seconds * 1000 };
}
