import { performance } from "node:perf_hooks";

/** Time as the agent sees it: every timer takes one, so tests pass a virtual clock and simulate days in milliseconds. */
export interface Clock {
  now(): Date;
  /**
   * Milliseconds on a monotonic scale (any origin, never jumps back, sub-millisecond): what the
   * SCIM pacer spaces requests on, where a wall clock set back by NTP would break its windows.
   */
  monotonicMs(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
  sleep: async (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      // setTimeout holds at most 2^31-1 ms (~24.8 days); longer waits are cut and re-checked by callers.
      const timer = setTimeout(done, Math.min(Math.max(0, ms), 2_147_483_647));
      signal?.addEventListener("abort", done, { once: true });
    }),
};
