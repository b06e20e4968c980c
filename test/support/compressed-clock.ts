/**
 * Real time, with every wait cut short `factor` times: retry back-offs and Retry-After pauses
 * pass quickly while every timestamp (escrow schedules, the periodic full read, state binding)
 * stays true. For long runs made of faults (the soak), where the waits are not what is tested.
 * Code that re-checks the time after a wait (the pacer) still waits its full due time.
 */
import { systemClock, type Clock } from "../../src/model/index.js";

export function compressedClock(factor: number): Clock {
  return {
    now: systemClock.now,
    monotonicMs: systemClock.monotonicMs,
    sleep: (ms, signal) => systemClock.sleep(ms / factor, signal),
  };
}
