import type { Clock } from "../../src/model/index.js";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

export interface VirtualClock extends Clock {
  /** Virtual milliseconds slept so far, summed over every sleep that ran to its end. */
  readonly sleeps: number[];
}

/**
 * A clock on virtual time: whenever every pending promise has settled, it jumps to the earliest
 * sleeper and wakes it, so days pass in milliseconds and sleeps wake in time order.
 */
export function createVirtualClock(start: Date): VirtualClock {
  let now = start.getTime();
  let seq = 0;
  let pumping = false;
  const timers = new Set<Timer>();
  const sleeps: number[] = [];

  const settle = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const pump = async (): Promise<void> => {
    for (;;) {
      await settle();
      let first: Timer | undefined;
      for (const t of timers) if (!first || t.at < first.at || (t.at === first.at && t.seq < first.seq)) first = t;
      if (!first) break;
      timers.delete(first);
      now = Math.max(now, first.at);
      first.resolve();
    }
    pumping = false;
  };

  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const onAbort = (): void => {
          timers.delete(timer);
          resolve();
        };
        const timer: Timer = {
          at: now + Math.max(0, ms),
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
