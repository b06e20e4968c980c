import { describe, expect, it } from "vitest";
import { recoverRate, slowDownRate } from "../../src/retry/index.js";
import { startRate } from "../../src/retry/adaptive-rate.js";

// Lives here (not test/retry/) because this helper's brief covers test/scim/ only.
describe("adaptive rate", () => {
  it("halves on a 429, once per second however many arrive together", () => {
    const start = startRate(16, 0);
    const slowed = slowDownRate(start, 100);
    expect(slowed.currentRps).toBe(8);
    expect(slowDownRate(slowed, 500).currentRps).toBe(8);
    expect(slowDownRate(slowed, 1200).currentRps).toBe(4);
  });

  it("never drops below half a request per second", () => {
    let rate = startRate(1, 0);
    for (let t = 0; t < 10_000; t += 1000) rate = slowDownRate(rate, t);
    expect(rate.currentRps).toBe(0.5);
  });

  it("recovers a tenth of the target per quiet second, up to the target", () => {
    const slowed = slowDownRate(startRate(20, 0), 0);
    expect(recoverRate(slowed, 500).currentRps).toBe(10);
    expect(recoverRate(slowed, 2000).currentRps).toBe(14);
    expect(recoverRate(slowed, 60_000).currentRps).toBe(20);
  });
});

describe("adaptive rate without a limit", () => {
  it("is infinite until throttled, then halves the rate the server was answering at", () => {
    const start = startRate("unlimited", 0);
    expect(start.currentRps).toBe(Number.POSITIVE_INFINITY);
    expect(recoverRate(start, 60_000)).toBe(start);
    const slowed = slowDownRate(start, 100, 1800);
    expect(slowed.currentRps).toBe(900);
    // A burst of 429s within the second counts once; a later one halves again.
    expect(slowDownRate(slowed, 500, 900).currentRps).toBe(900);
    expect(slowDownRate(slowed, 1200, 900).currentRps).toBe(450);
  });

  it("recovers a tenth of the observed rate per quiet second, then lifts the limit again", () => {
    const slowed = slowDownRate(startRate("unlimited", 0), 0, 1000);
    expect(recoverRate(slowed, 1000).currentRps).toBe(600);
    expect(recoverRate(slowed, 4000).currentRps).toBe(900);
    expect(recoverRate(slowed, 5000).currentRps).toBe(Number.POSITIVE_INFINITY);
  });

  it("never paces below the floor, even when the server answered nothing in the last second", () => {
    expect(slowDownRate(startRate("unlimited", 0), 0, 0).currentRps).toBe(0.5);
  });
});
