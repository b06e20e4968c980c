/**
 * A ScimClock on virtual time, for pacing tests that would otherwise wait out real seconds.
 * Whenever the process has had a few turns of the event loop (loopback HTTP included) with
 * sleepers pending, time jumps to the earliest sleeper and wakes it, in time order. Time never
 * passes otherwise, so a request's trip over loopback takes no virtual time unless a sleeper is due.
 * The pacer's guarantees hold on any monotonic clock both sides share: pass `epochMs` to the emulator.
 */
import type { ScimClock } from "../../src/scim/index.js";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

export interface VirtualScimClock extends ScimClock {
  /** Virtual milliseconds since the clock was made. */
  readonly elapsedMs: number;
}

/** Event loop turns with sleepers pending before time may jump: enough for a loopback answer to come in. */
const SETTLE_TURNS = 10;

export function createVirtualScimClock(epochStart = Date.UTC(2026, 0, 1)): VirtualScimClock {
  let now = 0;
  let seq = 0;
  let pumping = false;
  const timers: Timer[] = [];

  const settle = async (): Promise<void> => {
    for (let i = 0; i < SETTLE_TURNS; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const pump = async (): Promise<void> => {
    for (;;) {
      await settle();
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const first = timers.shift();
      if (!first) break;
      now = Math.max(now, first.at);
      first.resolve();
    }
    pumping = false;
  };

  return {
    get elapsedMs() {
      return now;
    },
    monotonicMs: () => now,
    epochMs: () => epochStart + now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        timers.push({ at: now + Math.max(0, ms), seq: seq++, resolve });
        if (!pumping) {
          pumping = true;
          void pump();
        }
      }),
  };
}
