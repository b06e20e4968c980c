/**
 * Private CAs per endpoint: a Graph emulator and a Klaxoon emulator (over HTTPS here) whose
 * certificates come from a CA this process does not trust. Without `graph.tls.caFile` and
 * `klaxoon.tls.caFile` each side fails at once naming the endpoint, the certificate problem
 * and the key to set; with them a sync runs. Expired, self-signed and wrongly named
 * certificates each get their own words.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment, type EnvironmentOptions } from "../support/agent-environment.js";
import { createPrivateCa, graphEmulatorCa, type PrivateCa, type ServerCertificate } from "../support/private-ca.js";

const tenant = () => generateTenant({ seed: 4, users: 4 });

async function world(
  ca: PrivateCa,
  graphCert: ServerCertificate,
  klaxoonCert: ServerCertificate,
  options: Pick<EnvironmentOptions, "graphLines" | "klaxoonLines"> = {},
): Promise<AgentEnvironment> {
  return startAgentEnvironment({
    graph: { tenant: tenant(), ca: graphEmulatorCa(graphCert, ca), checkTrust: false },
    klaxoon: { tls: klaxoonCert },
    ...options,
  });
}

const caLines = (file: string) => [`  tls: { caFile: ${JSON.stringify(file)} }`];

describe("private CAs per endpoint", () => {
  let ca: PrivateCa;
  const worlds: AgentEnvironment[] = [];
  beforeAll(async () => {
    ca = await createPrivateCa();
  });
  afterAll(async () => {
    await Promise.all(worlds.map((w) => w.close()));
  });

  it("without the keys: each side names its endpoint, the problem and the key that fixes it", async () => {
    const env = await world(ca, await ca.issue(), await ca.issue());
    worlds.push(env);
    const run = await env.runAgent(["test-connection"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      /^Graph\s+FAILED.*Entra token endpoint TLS: the certificate of 127\.0\.0\.1:\d+ is issued by a CA that is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): set graph\.tls\.caFile to the PEM file of the CA that issued it/m,
    );
    expect(run.stdout).toMatch(
      /^Klaxoon\s+FAILED.*Klaxoon SCIM TLS: .*\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): set klaxoon\.tls\.caFile/m,
    );
    const started = Date.now();
    const sync = await env.runAgent(["sync"]);
    expect(sync.code).toBe(3);
    expect(sync.stderr).toContain("GRAPH_TOKEN_UNAVAILABLE");
    expect(sync.stderr).toContain("set graph.tls.caFile");
    // A certificate problem is not retried.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("with graph.tls.caFile and klaxoon.tls.caFile (a bundle of several certificates): a sync runs", async () => {
    const other = await createPrivateCa("an unrelated CA");
    const env = await world(ca, await ca.issue(), await ca.issue(), {
      graphLines: caLines(ca.caFile),
      klaxoonLines: caLines(join("bundle.pem")),
    });
    worlds.push(env);
    await writeFile(join(env.dir, "bundle.pem"), `${other.caPem}\n${ca.caPem}\n`);
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(env.klaxoon.store.users.size).toBeGreaterThan(0);
  });

  it("a self-signed, an expired and a wrongly named certificate: each in its own words", async () => {
    const env = await world(ca, await ca.issue({ expired: true }), await ca.selfSigned(), {
      graphLines: caLines(ca.caFile),
      klaxoonLines: caLines(ca.caFile),
    });
    worlds.push(env);
    const run = await env.runAgent(["test-connection"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^Graph\s+FAILED.*is expired \(CERT_HAS_EXPIRED\): renew it on the server/m);
    expect(run.stdout).toMatch(
      /^Klaxoon\s+FAILED.*is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\): set klaxoon\.tls\.caFile/m,
    );

    const misnamed = await world(ca, await ca.issue({ host: "graph.other.example" }), await ca.issue(), {
      graphLines: caLines(ca.caFile),
      klaxoonLines: caLines(ca.caFile),
    });
    worlds.push(misnamed);
    const second = await misnamed.runAgent(["test-connection"]);
    expect(second.stdout).toMatch(
      /^Graph\s+FAILED.*not issued for that name \(ERR_TLS_CERT_ALTNAME_INVALID, hostname mismatch\): set graph\.authorityHost to a name the certificate covers/m,
    );
    expect(second.stdout).toMatch(/^Klaxoon\s+OK/m);
  });
});
