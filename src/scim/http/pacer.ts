/**
 * The shared client-side rate limit. Two rules, both needed:
 *
 * - **Spacing**: grants fall on a grid of slots 1/rate apart, so requests go out evenly. A grant
 *   made up to half a slot late keeps the grid, so timer lateness does not pile up into a slower
 *   rate; a later one moves the grid, so a stall is never caught up in a burst. Except at fast
 *   rates, where the grid may lag the clock by whole slots worth up to CREDIT_MS: a server
 *   answers several requests per turn of its event loop, so answers arrive together, and a
 *   pacer that then spaced the next requests a slot apart (each wait a timer, a millisecond or
 *   more late) would keep the server waiting although it is slower than the rate. Without that
 *   credit, 10,000 creates paced at 1,000 requests a second took 15–30% longer than the same
 *   POSTs unpaced against a server doing about 700 a second. Credit never lifts the average
 *   above the rate, and the window rule below still bounds every second.
 * - **Window**: Klaxoon counts requests per second as *it* sees them arrive, and any delay
 *   between our send and its clock (a busy loopback, a pause on either side) can bunch evenly
 *   sent requests. The server's arrival time lies between our send and its answer, so a request
 *   is counted in the window for at most 1 s after its answer came back: a request goes out only
 *   while fewer than `rate` requests are in flight or answered within the last second. That
 *   makes a 429 impossible whatever the jitter, at the cost of the answer time, not of a margin.
 *
 * A 429 (another client sharing the budget) halves the rate and may pause everyone until its
 * Retry-After; the rate then recovers gradually (see retry/adaptive-rate).
 *
 * Without a limit (`"unlimited"`) neither rule applies: a grant is immediate (only the
 * executor's concurrency bounds the requests in flight), until a 429 comes back; from then on
 * the pacer paces at half the rate the server was answering at, recovering to no limit.
 */
import { recoverRate, slowDownRate, startRate, type AdaptiveRate, type RateLimit } from "../../retry/index.js";
import type { Clock } from "../../model/index.js";

const WINDOW_MS = 1000;
/** How far (in whole slots) the grid may lag the clock: a burst of at most this long's worth. */
const CREDIT_MS = 10;

/** Call when the request's answer (or failure) came back. */
export type ReleasePacer = () => void;

export class RequestPacer {
  readonly #headroom: number;
  readonly #clock: Clock;
  readonly #queue: ((release: ReleasePacer) => void)[] = [];
  #rate: AdaptiveRate;
  #nextSlot = Number.NEGATIVE_INFINITY;
  /** No pause yet: −∞ rather than 0, as the clock's origin is arbitrary (a virtual clock starts at 0). */
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #pumping = false;
  #inFlight = 0;
  /** When answered requests stop counting (answer + 1 s), oldest first. */
  readonly #counted: number[] = [];
  /** Wakes the pump when a request in flight is answered. */
  #wake: (() => void) | null = null;

  constructor(requestsPerSecond: RateLimit, headroom: number, clock: Clock) {
    this.#clock = clock;
    this.#rate = startRate(requestsPerSecond, clock.monotonicMs());
    this.#headroom = headroom;
  }

  get currentRps(): number {
    return this.#rate.currentRps;
  }

  acquire(): Promise<ReleasePacer> {
    return new Promise((resolve) => {
      this.#queue.push(resolve);
      void this.#pump();
    });
  }

  /** A 429 came back: slow everyone down, and wait out Retry-After when the server gave one. */
  throttled(retryAfterMs: number | null): void {
    const now = this.#clock.monotonicMs();
    this.#rate = slowDownRate(this.#rate, now, this.#countingAt(now));
    if (retryAfterMs !== null) this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const now = this.#clock.monotonicMs();
        this.#rate = recoverRate(this.#rate, now);
        const perSecond = this.#rate.currentRps * this.#headroom;
        const due = Number.isFinite(perSecond) ? this.#pacedDue(now, perSecond) : this.#unpacedDue(now);
        if (due > now) {
          await this.#sleepUntil(due - now);
          continue;
        }
        if (Number.isFinite(perSecond)) this.#nextSlot = due + 1000 / perSecond;
        this.#inFlight += 1;
        this.#queue.shift()?.(this.#releaser());
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** When the next grant may go at `perSecond`: the grid slot, any pause, and the window. */
  #pacedDue(now: number, perSecond: number): number {
    const interval = 1000 / perSecond;
    const credit = Math.floor(CREDIT_MS / interval) * interval;
    // Further behind than the credit and half a slot of lateness: the grid moves up, keeping the credit.
    const slot = this.#nextSlot < now - credit - interval / 2 ? now - credit : this.#nextSlot;
    return Math.max(slot, this.#pausedUntil, this.#windowOpensAt(now, Math.max(1, Math.floor(perSecond))));
  }

  /**
   * No limit: only a Retry-After pause holds a grant. The grid restarts from now, so pacing
   * that begins at the next 429 never starts with a burst of slots gone by.
   */
  #unpacedDue(now: number): number {
    this.#countingAt(now); // keeps the window's list short, for the rate a 429 will halve
    this.#nextSlot = Number.NEGATIVE_INFINITY;
    return this.#pausedUntil;
  }

  /** Requests in flight or answered within the last second: the rate the server sees. */
  #countingAt(now: number): number {
    while (this.#counted.length > 0 && (this.#counted[0] ?? 0) <= now) this.#counted.shift();
    return this.#inFlight + this.#counted.length;
  }

  /** −∞ when fewer than `capacity` requests count; else when the oldest count ends (∞: one is in flight). */
  #windowOpensAt(now: number, capacity: number): number {
    const counting = this.#countingAt(now);
    if (counting < capacity) return Number.NEGATIVE_INFINITY;
    const answeredNeeded = counting - capacity; // this many must stop counting first
    return answeredNeeded < this.#counted.length ? (this.#counted[answeredNeeded] ?? now) : Number.POSITIVE_INFINITY;
  }

  #releaser(): ReleasePacer {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      const until = this.#clock.monotonicMs() + WINDOW_MS;
      // Answers come back nearly in order; insert from the end to keep the list sorted.
      let index = this.#counted.length;
      while (index > 0 && (this.#counted[index - 1] ?? 0) > until) index -= 1;
      this.#counted.splice(index, 0, until);
      this.#wake?.();
    };
  }

  /** Sleeps for `ms` (if finite), or until a request in flight is answered, whichever comes first. */
  async #sleepUntil(ms: number): Promise<void> {
    const answered = new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
    await (Number.isFinite(ms) ? Promise.race([this.#clock.sleep(ms), answered]) : answered);
    this.#wake = null;
  }
}
