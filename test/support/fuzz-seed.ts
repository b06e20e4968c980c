/**
 * The one seed of every property test (fast-check) under test/, so that a failure seen once is
 * seen again, on any machine: a fixed default, printed in each property test's title and at the
 * top of its failure message, and overridden with one environment variable:
 *
 *   FUZZ_SEED=<32-bit integer>   e.g. FUZZ_SEED=$RANDOM npx vitest run --config test/vitest.config.ts test/fuzz
 *
 * Set it to explore new inputs; set it to the seed a failure printed to replay that run exactly
 * (same seed, same numRuns, same cases, same shrinking). Without it, every run tries the same
 * inputs: a red fuzz test is a bug to fix, never bad luck to re-run away.
 */
import fc from "fast-check";

const DEFAULT_SEED = 20_260_117;

function readSeed(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_SEED;
  const seed = Number(value);
  // fast-check seeds a 32-bit generator: a larger value would be silently folded into another one.
  if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 31) {
    throw new Error(`FUZZ_SEED=${value}: expected a 32-bit integer (test/support/fuzz-seed.ts)`);
  }
  return seed;
}

export const FUZZ_SEED = readSeed(process.env["FUZZ_SEED"]);

/** A property test's title with the seed it runs with, shown whether it passes or fails. */
export function seeded(title: string): string {
  return `${title} (seed ${FUZZ_SEED})`;
}

/** fast-check parameters with the seed, and a failure report that starts with how to replay it. */
export function fuzzParameters<Ts>(parameters: Omit<fc.Parameters<Ts>, "seed"> = {}): fc.Parameters<Ts> {
  return { ...parameters, seed: FUZZ_SEED, plugins: [...(parameters.plugins ?? []), replayReport<Ts>()] };
}

function replayReport<Ts>(): fc.Plugin<Ts> {
  return () => ({
    // Synchronous on purpose: fast-check requires it for synchronous properties, and it serves async ones too.
    onAllRunsComplete: (details) => {
      if (!details.failed) return;
      const report = fc.defaultReportMessage(details);
      throw new Error(`replay with FUZZ_SEED=${FUZZ_SEED} (test/support/fuzz-seed.ts)\n${report}`, {
        cause: details.errorInstance,
      });
    },
  });
}
