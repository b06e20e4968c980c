/**
 * The test CA and the emulator's server certificate, generated once into a fixed directory
 * under os.tmpdir() and reused by every process: a process trusts the CA only through
 * NODE_EXTRA_CA_CERTS, which Node reads at start-up, so the file must exist (and never change)
 * before any test worker or child process starts. Written atomically (temp dir + rename) so
 * concurrent test runs never see half a CA.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface TestCa {
  readonly dir: string;
  /** PEM file to name in NODE_EXTRA_CA_CERTS. */
  readonly caCertPath: string;
  readonly caPem: string;
  /** Server certificate for 127.0.0.1 and localhost, signed by the CA. */
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
}

export const TEST_CA_DIR = join(tmpdir(), "entra-klaxoon-sync-test-ca-v1");
export const TEST_CA_CERT_PATH = join(TEST_CA_DIR, "ca.pem");

export async function ensureTestCa(dir: string = TEST_CA_DIR): Promise<TestCa> {
  if (!existsSync(join(dir, "server-key.pem"))) await createCaDir(dir);
  return readCa(dir);
}

function readCa(dir: string): TestCa {
  const read = (name: string) => readFileSync(join(dir, name), "utf8");
  return {
    dir,
    caCertPath: join(dir, "ca.pem"),
    caPem: read("ca.pem"),
    serverCertPem: read("server-cert.pem"),
    serverKeyPem: read("server-key.pem"),
  };
}

async function createCaDir(dir: string): Promise<void> {
  const notAfterDate = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const ca = await generate([{ name: "commonName", value: "entra-klaxoon-sync test CA" }], {
    keyType: "ec",
    algorithm: "sha256",
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    algorithm: "sha256",
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  const staging = `${dir}.${process.pid}.${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, "ca.pem"), ca.cert);
  writeFileSync(join(staging, "server-cert.pem"), server.cert);
  writeFileSync(join(staging, "server-key.pem"), server.private);
  try {
    renameSync(staging, dir);
  } catch {
    // Another process won the race: keep its CA (ours was never trusted by anyone).
    rmSync(staging, { recursive: true, force: true });
  }
}
