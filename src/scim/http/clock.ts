/**
 * Time as the SCIM client sees it: the pacer's slots and windows, Retry-After pauses and retry
 * back-off all read and wait on this, never on timers of their own, so tests can run a
 * rate limit on a virtual clock instead of waiting it out.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

export interface ScimClock {
  /** Milliseconds on a monotonic scale (any origin): spacing and windows are measured on it. */
  monotonicMs(): number;
  /** Epoch milliseconds: only to read a Retry-After given as an HTTP date. */
  epochMs(): number;
  /** Resolves once `ms` have passed on this clock. */
  sleep(ms: number): Promise<void>;
}

/** The real clock; the composition passes it (adapters hold no defaults). */
export const systemScimClock: ScimClock = {
  monotonicMs: () => performance.now(),
  epochMs: () => Date.now(),
  sleep: (ms) => sleep(ms),
};
