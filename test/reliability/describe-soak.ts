/**
 * The model-based soak (soak.ts) as a test. `npm test` runs each soak file's fixed seed for 200
 * cycles; SOAK_SEED and SOAK_CYCLES replay or shorten a run (`npm run soak` runs every file).
 */
import { expect, it } from "vitest";
import { describeFailure, runSoak, type SoakOptions } from "./soak.js";

export function describeSoak(seed: number, graphModes: NonNullable<SoakOptions["graphModes"]>): void {
  const replay = process.env["SOAK_SEED"];
  const run = { seed: replay === undefined ? seed : Number(replay), cycles: Number(process.env["SOAK_CYCLES"] ?? 200) };
  const modes = `soft deletes ${graphModes.softDeleteMembership} in groups/delta, ${graphModes.softDeletedUserDelta} in users/delta`;
  it(`${run.cycles} random cycles (seed ${run.seed}, ${modes}): Klaxoon as the model expects, a full read after each plans nothing`, {
    timeout: Math.max(60_000, run.cycles * 3_000),
  }, async () => {
    const result = await runSoak({ ...run, graphModes });
    if (result.failure) expect.fail(describeFailure(result.failure));
    expect(result.cyclesRun).toBe(run.cycles);
    // The walk did real work: tenant changes, faulty cycles, writes and deactivations.
    expect(result.stats.mutations).toBeGreaterThan(run.cycles);
    expect(result.stats.faultyCycles).toBeGreaterThan(0);
    expect(result.stats.writes).toBeGreaterThan(run.cycles);
    expect(result.stats.deactivations).toBeGreaterThan(0);
  });
}
