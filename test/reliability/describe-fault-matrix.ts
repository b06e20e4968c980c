/** Turns rows of the fault matrix into tests: each row gets its own world, fault and assertions. */
import { describe, expect, it } from "vitest";
import { driveFault, LATER_CYCLES } from "./converge.js";
import type { FaultCase } from "./fault-cases.js";
import { EXPECTED_WORLD, heldWorld, startFaultWorld, wrongDeactivations } from "./fault-world.js";

/** A stack frame line: what a user must never see for a fault the agent knows about. */
const STACK_FRAME = /^\s+at .+\(.+:\d+:\d+\)$/m;

export function describeFaultMatrix(title: string, cases: readonly FaultCase[]): void {
  describe(title, () => {
    for (const row of cases) {
      it(`${row.fault}: converges within ${row.maxCycles} cycle(s), nothing lost, no wrong deactivation`, async () => {
        expect(row.maxCycles).toBeLessThanOrEqual(1 + LATER_CYCLES);
        const world = await startFaultWorld(row.world);
        try {
          const expected = row.expected ? row.expected(EXPECTED_WORLD) : EXPECTED_WORLD;
          const result = await driveFault(world, row, expected);
          const { faulted } = result;
          if (process.env["FAULT_MATRIX_VERBOSE"])
            console.info(
              `[fault-matrix] ${row.fault}: faulted exit ${String(faulted.code)}, cycles ${String(result.cycles)}`,
            );

          expect(result.struck, "the fault did not strike").toBe(true);
          expect(
            row.faultedExit,
            `faulted cycle exit ${String(faulted.code)}: ${faulted.stderr.slice(-2000)}`,
          ).toContain(faulted.code);
          if (row.faultedMessage) expect(`${faulted.stdout}\n${faulted.stderr}`).toMatch(row.faultedMessage);
          expect(faulted.stderr).not.toMatch(STACK_FRAME);
          expect(faulted.stderr).not.toContain("unexpected error");
          if (row.noWritesWhileFaulted) expect(result.writesWhileFaulted).toBe(0);

          expect(heldWorld(world.env)).toEqual(expected);
          expect(wrongDeactivations(world.env)).toEqual([]);
          expect(
            result.cycles,
            result.later.map((r) => `exit ${String(r.code)}: ${r.stderr.slice(-1500)}`).join("\n"),
          ).not.toBeNull();
          expect(result.cycles ?? Infinity).toBeLessThanOrEqual(row.maxCycles);
        } finally {
          await world.env.close();
        }
      });
    }
  });
}
