import { afterEach, describe, expect, it } from "vitest";
import type { KlaxoonEmulatorOptions } from "../emulators/klaxoon/index.js";
import type { ScimClientSettings } from "../../src/scim/settings.js";
import { startPair, userAttributes, type Pair } from "./support.js";
import { createVirtualClock } from "../support/virtual-clock.js";

/**
 * On virtual time shared by the client (pacer, Retry-After, back-off) and the emulator (its rate
 * limit and request log): the seconds these tests span pass in a few hundred real milliseconds.
 */
function startPaced(emulator: KlaxoonEmulatorOptions, settings: Partial<ScimClientSettings>): Promise<Pair> {
  const clock = createVirtualClock();
  return startPair({ ...emulator, now: () => clock.now().getTime() }, settings, { clock });
}

describe("SCIM client: rate limit", () => {
  let pair: Pair;
  afterEach(async () => pair.close());

  it("500 creates at 16 req/s get no 429 and no 1-second window above 16", async () => {
    pair = await startPaced(
      { rateLimit: { requestsPerSecond: 16, retryAfterSeconds: 1 } },
      { requestsPerSecond: 16, concurrency: 8 },
    );
    const outcomes = await Promise.all(
      Array.from({ length: 500 }, (_, i) => pair.client.createUser(userAttributes(`bulk-${i}`))),
    );
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(pair.emulator.faults.throttledCount).toBe(0);
    expect(pair.emulator.requestLog.count((e) => e.status === 429)).toBe(0);
    expect(pair.emulator.requestLog.maxInWindow(1000)).toBeLessThanOrEqual(16);
    expect(pair.emulator.store.countUsers()).toBe(500);
  }, 60_000);

  it("on 429 honours Retry-After, slows the shared rate down, and still completes", async () => {
    pair = await startPaced(
      { rateLimit: { requestsPerSecond: 5, retryAfterSeconds: 1 } },
      { requestsPerSecond: 50, concurrency: 8, maxRetries: 8 },
    );
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => pair.client.createUser(userAttributes(`t-${i}`))),
    );
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(pair.emulator.faults.throttledCount).toBeGreaterThan(0);
    // Paused and halved after the first 429s: far fewer 429s than requests.
    expect(pair.emulator.faults.throttledCount).toBeLessThan(20);
  }, 60_000);

  it('"unlimited" against a server that limits after all: 429s are handled, paced from then on, and everything lands', async () => {
    pair = await startPaced(
      { rateLimit: { requestsPerSecond: 10, retryAfterSeconds: 1 } },
      { requestsPerSecond: "unlimited", concurrency: 8, maxRetries: 8 },
    );
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => pair.client.createUser(userAttributes(`u-${i}`))),
    );
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(pair.emulator.store.countUsers()).toBe(100);
    expect(pair.emulator.faults.throttledCount).toBeGreaterThan(0);
    // Left unpaced after each Retry-After pause, 8 in flight meet 81 429s here; paced from the first, 33.
    expect(pair.emulator.faults.throttledCount).toBeLessThan(50);
  }, 60_000);

  it("honours X-Retry-After too", async () => {
    pair = await startPaced(
      { rateLimit: { requestsPerSecond: 2, retryAfterSeconds: 1, retryAfterHeader: "X-Retry-After" } },
      { requestsPerSecond: 100, maxRetries: 5 },
    );
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, (_, i) => pair.client.createUser(userAttributes(`x-${i}`))),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // Only the requests already in flight meet the 429; everyone then waits out the header.
    expect(pair.emulator.faults.throttledCount).toBeGreaterThan(0);
    expect(pair.emulator.faults.throttledCount).toBeLessThanOrEqual(4);
    const log = pair.emulator.requestLog.entries;
    const last429 = log.filter((e) => e.status === 429).at(-1)?.at ?? 0;
    const retried = log.filter((e) => e.at > last429);
    expect(retried.length).toBeGreaterThan(0);
    expect(Math.min(...retried.map((e) => e.at)) - last429).toBeGreaterThanOrEqual(900);
  });
});
