/**
 * A clock on virtual time, for every timer the agent has (daemon schedule, SCIM pacer, retries,
 * lock heartbeat). Whenever the process has had a few turns of the event loop (loopback HTTP
 * included) with sleepers pending, time jumps to the earliest sleeper and wakes it, in time
 * order. Time never passes otherwise, so days pass in milliseconds and a request's trip over
 * loopback takes no virtual time unless a sleeper is due. Share it with an emulator (its `now`)
 * so both sides of a rate limit see the same time.
 */
import type { Clock } from "../../src/model/index.js";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

export interface VirtualClock extends Clock {
  /** The virtual milliseconds of every sleep that ran to its end, in order. */
  readonly sleeps: number[];
  /** Virtual milliseconds since the clock was made. */
  readonly elapsedMs: number;
}

/** Event-loop turns with sleepers pending before time may jump: enough for a loopback answer to come in. */
const SETTLE_TURNS = 10;

export function createVirtualClock(start: Date = new Date(Date.UTC(2026, 0, 1))): VirtualClock {
  const origin = start.getTime();
  let elapsed = 0;
  let seq = 0;
  let pumping = false;
  const timers = new Set<Timer>();
  const sleeps: number[] = [];

  const settle = async (): Promise<void> => {
    for (let i = 0; i < SETTLE_TURNS; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const pump = async (): Promise<void> => {
    for (;;) {
      await settle();
      let first: Timer | undefined;
      for (const t of timers) if (!first || t.at < first.at || (t.at === first.at && t.seq < first.seq)) first = t;
      if (!first) break;
      timers.delete(first);
      elapsed = Math.max(elapsed, first.at);
      first.resolve();
    }
    pumping = false;
  };

  return {
    sleeps,
    get elapsedMs() {
      return elapsed;
    },
    now: () => new Date(origin + elapsed),
    monotonicMs: () => elapsed,
    sleep: async (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const onAbort = (): void => {
          timers.delete(timer);
          resolve();
        };
        const timer: Timer = {
          at: elapsed + Math.max(0, ms),
          seq: seq++,
          resolve: () => {
            signal?.removeEventListener("abort", onAbort);
            sleeps.push(ms);
            resolve();
          },
        };
        timers.add(timer);
        signal?.addEventListener("abort", onAbort, { once: true });
        if (!pumping) {
          pumping = true;
          void pump();
        }
      }),
  };
}
