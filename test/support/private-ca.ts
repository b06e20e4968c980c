/**
 * A private CA of a test's own, which this process does not trust (unlike the Graph emulator's
 * test CA in NODE_EXTRA_CA_CERTS), and server certificates for 127.0.0.1: issued by it, expired,
 * for another host name, or self-signed.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate, type SelfsignedOptions } from "selfsigned";

export interface ServerCertificate {
  readonly cert: string;
  readonly key: string;
}

export interface PrivateCa {
  readonly caPem: string;
  /** The CA's PEM, written to a file of its own. */
  readonly caFile: string;
  issue(options?: { readonly expired?: boolean; readonly host?: string }): Promise<ServerCertificate>;
  selfSigned(): Promise<ServerCertificate>;
}

const YEAR = 365 * 24 * 3600 * 1000;

function serverExtensions(host: string): NonNullable<SelfsignedOptions["extensions"]> {
  return [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: /^\d+\.\d+\.\d+\.\d+$/.test(host) ? [{ type: 7, ip: host }] : [{ type: 2, value: host }],
    },
  ];
}

export async function createPrivateCa(name = "entra-klaxoon-sync private test CA"): Promise<PrivateCa> {
  const ca = await generate([{ name: "commonName", value: name }], {
    keyType: "ec",
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + YEAR),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), "eks-private-ca-"));
  const caFile = join(dir, "ca.pem");
  await writeFile(caFile, ca.cert);
  return {
    caPem: ca.cert,
    caFile,
    async issue(options = {}) {
      const host = options.host ?? "127.0.0.1";
      const now = Date.now();
      const server = await generate([{ name: "commonName", value: host }], {
        keyType: "ec",
        algorithm: "sha256",
        ...(options.expired === true
          ? { notBeforeDate: new Date(now - 2 * YEAR), notAfterDate: new Date(now - YEAR) }
          : { notAfterDate: new Date(now + YEAR) }),
        ca: { key: ca.private, cert: ca.cert },
        extensions: serverExtensions(host),
      });
      return { cert: server.cert, key: server.private };
    },
    async selfSigned() {
      const server = await generate([{ name: "commonName", value: "127.0.0.1" }], {
        keyType: "ec",
        algorithm: "sha256",
        notAfterDate: new Date(Date.now() + YEAR),
        extensions: serverExtensions("127.0.0.1"),
      });
      return { cert: server.cert, key: server.private };
    },
  };
}

/** The Graph emulator's `ca` option for a server certificate of ours (its caCertPath is then unused). */
export function graphEmulatorCa(certificate: ServerCertificate, ca: PrivateCa) {
  return {
    dir: tmpdir(),
    caCertPath: ca.caFile,
    caPem: ca.caPem,
    serverCertPem: certificate.cert,
    serverKeyPem: certificate.key,
  };
}
