/**
 * Vitest globalSetup: makes sure the shared test CA exists before any worker starts, and points
 * NODE_EXTRA_CA_CERTS at it so forked workers (and their children) trust the emulators'
 * certificates: Node reads that variable only at process start, so it must be set here, in the
 * parent, never from inside a test.
 */
import { TEST_CA_CERT_PATH, ensureTestCa } from "../emulators/graph/test-ca.js";

export default async function setup(): Promise<void> {
  await ensureTestCa();
  process.env.NODE_EXTRA_CA_CERTS = TEST_CA_CERT_PATH;
}
