import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { RequestPacer } from "../../src/scim/pacer.js";

describe("request pacer", () => {
  it("spaces grants evenly: 21 grants at 20/s span a second, never a burst", async () => {
    const pacer = new RequestPacer(20, 1);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 21 }, () => pacer.acquire().then(() => times.push(performance.now()))));
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(49);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it("pauses everyone for Retry-After and halves the rate", async () => {
    const pacer = new RequestPacer(100, 1);
    await pacer.acquire();
    pacer.throttled(300);
    expect(pacer.currentRps).toBe(50);
    const before = performance.now();
    await pacer.acquire();
    expect(performance.now() - before).toBeGreaterThanOrEqual(290);
  });
});
