import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { TEST_CA_CERT_PATH } from "./emulators/graph/test-ca.js";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The Graph emulator speaks HTTPS with a generated test CA. Node reads NODE_EXTRA_CA_CERTS
    // only at process start, so the CA is made before any worker starts and handed to them.
    globalSetup: ["./test/setup/graph-test-ca.ts"],
    env: { NODE_EXTRA_CA_CERTS: TEST_CA_CERT_PATH },
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
