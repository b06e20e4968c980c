import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { systemScimClock } from "../../src/scim/index.js";
import { RequestPacer } from "../../src/scim/http/pacer.js";

describe("request pacer", () => {
  it("spaces grants on a grid: 21 grants at 20/s span a second, never a burst", async () => {
    const pacer = new RequestPacer(20, 1, systemScimClock);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 21 }, () => pacer.acquire().then((release) => {
      times.push(performance.now());
      release();
    })));
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(24);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(999);
  });

  it("at fast rates lets up to 10 ms worth of slots go at once, never more, and keeps the average", async () => {
    const pacer = new RequestPacer(1000, 1, systemScimClock);
    const times: number[] = [];
    const all = Promise.all(Array.from({ length: 200 }, () => pacer.acquire().then((release) => {
      times.push(performance.now());
      release();
    })));
    // Grants before any timer fires: the slot due now plus 10 slots of credit (a few more only
    // if this machine took over a millisecond to hand them out).
    await new Promise((resolve) => setImmediate(resolve));
    expect(times.length).toBeGreaterThanOrEqual(11);
    expect(times.length).toBeLessThanOrEqual(14);
    await all;
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(185);
  });

  it("counts a request in its second until 1 s after its answer: slow answers slow the rate, never bunch it", async () => {
    const pacer = new RequestPacer(5, 1, systemScimClock);
    const sent: number[] = [];
    const answered: number[] = [];
    // Each answer takes 300 ms: the server may see a request any time until then.
    await Promise.all(Array.from({ length: 10 }, async () => {
      const release = await pacer.acquire();
      sent.push(performance.now());
      await sleep(300);
      answered.push(performance.now());
      release();
    }));
    sent.sort((a, b) => a - b);
    answered.sort((a, b) => a - b);
    // The 6th request goes out only once the 1st has been answered for a second.
    for (let k = 5; k < sent.length; k += 1) expect(sent[k]! - answered[k - 5]!).toBeGreaterThanOrEqual(999);
  });

  it("pauses everyone for Retry-After and halves the rate", async () => {
    const pacer = new RequestPacer(100, 1, systemScimClock);
    (await pacer.acquire())();
    pacer.throttled(300);
    expect(pacer.currentRps).toBe(50);
    const before = performance.now();
    (await pacer.acquire())();
    expect(performance.now() - before).toBeGreaterThanOrEqual(290);
  });
});
