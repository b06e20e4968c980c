/**
 * The model-based soak (soak.ts), short form for `npm test`; `npm run soak` runs 200 cycles.
 * SOAK_SEED and SOAK_CYCLES replay or lengthen a run.
 */
import { describe, expect, it } from "vitest";
import { describeFailure, runSoak } from "./soak.js";

const seed = Number(process.env["SOAK_SEED"] ?? 20261129);
const cycles = Number(process.env["SOAK_CYCLES"] ?? 20);

describe("model-based soak", () => {
  it(`${cycles} random cycles (seed ${seed}) keep Klaxoon exactly as the model expects`, { timeout: Math.max(60_000, cycles * 6_000) }, async () => {
    const result = await runSoak({ seed, cycles });
    if (result.failure) expect.fail(describeFailure(result.failure));
    expect(result.cyclesRun).toBe(cycles);
    // The walk did real work: tenant changes, faulty cycles, writes and deactivations.
    expect(result.stats.mutations).toBeGreaterThan(cycles);
    expect(result.stats.faultyCycles).toBeGreaterThan(0);
    expect(result.stats.writes).toBeGreaterThan(cycles);
    expect(result.stats.deactivations).toBeGreaterThan(0);
  });
});
