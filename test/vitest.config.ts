import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";
import { TEST_CA_CERT_PATH } from "./emulators/graph/test-ca.js";
import SlowFirstSequencer from "./support/slow-first-sequencer.js";

/** The 100,000-user tenants: CPU-bound, so a project of their own, run alongside the rest. */
const SCALE = ["test/graph/scale.test.ts", "test/graph/incremental-scale.test.ts", "test/fixtures/tenant.test.ts"];
/** The model-based soaks: 200 cycles each, mostly waiting on retries, so they overlap well. */
const SOAK = ["test/reliability/soak-*.test.ts"];

export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The three soaks hold a worker each for about two minutes, mostly waiting on retries; the
    // rest needs about two cores. So more workers than this 2-core machine's cores (measured in
    // the README's "Development"); every project shares them.
    maxWorkers: 6,
    fileParallelism: true,
    sequence: { sequencer: SlowFirstSequencer },
    // The Graph emulator speaks HTTPS with a generated test CA. Node reads NODE_EXTRA_CA_CERTS
    // only at process start, so the CA is made before any worker starts and handed to them.
    globalSetup: ["./test/setup/graph-test-ca.ts"],
    env: { NODE_EXTRA_CA_CERTS: TEST_CA_CERT_PATH },
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // No groupOrder: the projects run at the same time, in one pool of workers.
    projects: [
      // No module isolation between files in a worker: importing the agent, the emulators and
      // their dependencies again for each file cost a third of the suite's CPU. No test mocks
      // modules or stubs globals, and each test world closes what it opens.
      {
        extends: true,
        test: {
          name: "suite",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...SCALE, ...SOAK],
          isolate: false,
        },
      },
      { extends: true, test: { name: "soak", include: SOAK } },
      { extends: true, test: { name: "scale", include: SCALE } },
    ],
  },
});
