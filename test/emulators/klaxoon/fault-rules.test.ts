import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startKlaxoonEmulator, type KlaxoonEmulator } from "./index.js";

/** The fault rules the fault matrix relies on: skip, malformed and oversized bodies, counted latency. */
describe("Klaxoon emulator fault rules", () => {
  let emulator: KlaxoonEmulator;
  const list = async (): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${emulator.url}/Users`, { headers: { authorization: `Bearer ${emulator.token}` } });
    return { status: response.status, text: await response.text() };
  };
  beforeEach(async () => {
    emulator = await startKlaxoonEmulator();
  });
  afterEach(async () => emulator.close());

  it("lets the first `skip` matching requests through, then strikes", async () => {
    emulator.faults.add({ status: 401, skip: 2 });
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(401);
    expect((await list()).status).toBe(401);
    expect(emulator.faults.injectedCounts()).toEqual([2]);
  });

  it("answers 200 with cut-off JSON", async () => {
    emulator.faults.add({ malformedJson: true, count: 1 });
    const broken = await list();
    expect(broken.status).toBe(200);
    expect(() => JSON.parse(broken.text) as unknown).toThrow();
    const whole = (await list()).text;
    expect(() => JSON.parse(whole) as unknown).not.toThrow();
  });

  it("streams a body of the asked size, still valid JSON", async () => {
    emulator.faults.add({ oversizeBytes: 3 * 1024 * 1024 + 17, count: 1 });
    const big = await list();
    expect(big.status).toBe(200);
    expect(Buffer.byteLength(big.text)).toBe(3 * 1024 * 1024 + 17);
    expect(JSON.parse(big.text)).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it("slows down at most `count` requests with a latency-only rule that sets one", async () => {
    emulator.faults.add({ latencyMs: 30, count: 1 });
    await list();
    await list();
    expect(emulator.faults.injectedCounts()).toEqual([1]);
  });
});
