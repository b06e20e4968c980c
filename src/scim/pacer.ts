/**
 * The shared client-side rate limit: requests are granted one at a time, each at least
 * 1/rate after the previous grant as actually made (never caught up in a burst after a stall),
 * so any 1-second window holds at most `rate` requests. A 429 halves the rate and may pause
 * everyone until its Retry-After; the rate then recovers gradually (see retry/adaptive-rate).
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { recoverRate, slowDownRate, startRate, type AdaptiveRate } from "../retry/index.js";

export class RequestPacer {
  readonly #headroom: number;
  readonly #queue: (() => void)[] = [];
  #rate: AdaptiveRate;
  #lastGrant = Number.NEGATIVE_INFINITY;
  #pausedUntil = 0;
  #pumping = false;

  constructor(requestsPerSecond: number, headroom: number) {
    this.#rate = startRate(requestsPerSecond, performance.now());
    this.#headroom = headroom;
  }

  get currentRps(): number {
    return this.#rate.currentRps;
  }

  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.#queue.push(resolve);
      void this.#pump();
    });
  }

  /** A 429 came back: slow everyone down, and wait out Retry-After when the server gave one. */
  throttled(retryAfterMs: number | null): void {
    const now = performance.now();
    this.#rate = slowDownRate(this.#rate, now);
    if (retryAfterMs !== null) this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const now = performance.now();
        this.#rate = recoverRate(this.#rate, now);
        const interval = 1000 / (this.#rate.currentRps * this.#headroom);
        const due = Math.max(this.#lastGrant + interval, this.#pausedUntil);
        if (due > now) {
          await sleep(Math.ceil(due - now));
          continue;
        }
        this.#lastGrant = now;
        this.#queue.shift()?.();
      }
    } finally {
      this.#pumping = false;
    }
  }
}
