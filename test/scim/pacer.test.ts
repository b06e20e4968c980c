import { describe, expect, it } from "vitest";
import { RequestPacer } from "../../src/scim/http/pacer.js";
import { createVirtualClock } from "../support/virtual-clock.js";

// On virtual time: the pacer's waits (seconds here) pass at once, in order, and exactly.

describe("request pacer", () => {
  it("spaces grants on a grid: 21 grants at 20/s span a second, never a burst", async () => {
    const clock = createVirtualClock();
    const pacer = new RequestPacer(20, 1, clock);
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 21 }, () =>
        pacer.acquire().then((release) => {
          times.push(clock.monotonicMs());
          release();
        }),
      ),
    );
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(24);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(999);
  });

  it("at fast rates lets up to 10 ms worth of slots go at once, never more, and keeps the average", async () => {
    const clock = createVirtualClock();
    const pacer = new RequestPacer(1000, 1, clock);
    const times: number[] = [];
    const all = Promise.all(
      Array.from({ length: 200 }, () =>
        pacer.acquire().then((release) => {
          times.push(clock.monotonicMs());
          release();
        }),
      ),
    );
    // Grants before any timer fires: the slot due now plus 10 slots of credit (a few more only
    // if this machine took over a millisecond to hand them out).
    await new Promise((resolve) => setImmediate(resolve));
    expect(times.length).toBeGreaterThanOrEqual(11);
    expect(times.length).toBeLessThanOrEqual(14);
    await all;
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(185);
  });

  it("counts a request in its second until 1 s after its answer: slow answers slow the rate, never bunch it", async () => {
    const clock = createVirtualClock();
    const pacer = new RequestPacer(5, 1, clock);
    const sent: number[] = [];
    const answered: number[] = [];
    // Each answer takes 300 ms: the server may see a request any time until then.
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const release = await pacer.acquire();
        sent.push(clock.monotonicMs());
        await clock.sleep(300);
        answered.push(clock.monotonicMs());
        release();
      }),
    );
    sent.sort((a, b) => a - b);
    answered.sort((a, b) => a - b);
    // The 6th request goes out only once the 1st has been answered for a second.
    for (let k = 5; k < sent.length; k += 1) expect(sent[k]! - answered[k - 5]!).toBeGreaterThanOrEqual(999);
  });

  it("pauses everyone for Retry-After and halves the rate", async () => {
    const clock = createVirtualClock();
    const pacer = new RequestPacer(100, 1, clock);
    (await pacer.acquire())();
    pacer.throttled(300);
    expect(pacer.currentRps).toBe(50);
    const before = clock.monotonicMs();
    (await pacer.acquire())();
    expect(clock.monotonicMs() - before).toBeGreaterThanOrEqual(290);
  });
});

describe("request pacer without a limit", () => {
  it("grants every request at once, however many", async () => {
    const clock = createVirtualClock();
    const pacer = new RequestPacer("unlimited", 1, clock);
    const releases = await Promise.all(Array.from({ length: 5000 }, () => pacer.acquire()));
    // All 5,000 granted with none released and no virtual time passed: no grid, no window.
    expect(clock.monotonicMs()).toBe(0);
    for (const release of releases) release();
    expect(pacer.currentRps).toBe(Number.POSITIVE_INFINITY);
  });

  it("on a 429 waits out Retry-After, then paces at half the rate the server was answering at", async () => {
    const clock = createVirtualClock();
    const pacer = new RequestPacer("unlimited", 1, clock);
    // 200 requests answered within the last second: the server was answering at 200/s.
    for (let i = 0; i < 200; i += 1) (await pacer.acquire())();
    pacer.throttled(1000);
    expect(pacer.currentRps).toBe(100);
    const before = clock.monotonicMs();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, () =>
        pacer.acquire().then((release) => {
          times.push(clock.monotonicMs());
          release();
        }),
      ),
    );
    expect((times[0] ?? 0) - before).toBeGreaterThanOrEqual(1000);
    // Paced, not all at once: 100/s, recovered by a tenth of 200/s per second since the 429
    // (120/s once the pause is over), so 49 gaps of about 8 ms.
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(400);
  });
});
