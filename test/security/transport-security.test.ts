import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { agentConfigYaml } from "../support/agent-config-yaml.js";
import { runNode, startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { runAgentInProcess } from "../support/in-process-agent.js";

const ROOT = resolve(import.meta.dirname, "../..");
const GRAPH = {
  tenantId: "22222222-2222-2222-2222-222222222222",
  clientId: "33333333-3333-3333-3333-333333333333",
  appId: "11111111-1111-1111-1111-111111111111",
  url: "https://graph.microsoft.com",
  authorityHost: "https://login.microsoftonline.com",
};

/**
 * TLS stays on: plain http:// goes only to this machine (Tenant URL, Graph endpoint, authority,
 * webhook), checked by `validate` as a user runs it; a certificate the process does not trust is
 * refused; and NODE_TLS_REJECT_UNAUTHORIZED=0 stops the agent before it sends any credential.
 */
describe("transport security", () => {
  let dir: string;
  const env = { ...process.env, GRAPH_CLIENT_SECRET: "not-a-real-secret" };
  const validate = async (parts: { tenantUrl?: string; graphUrl?: string; authorityHost?: string; extra?: string }) => {
    const configPath = join(dir, "config.yaml");
    await writeFile(
      configPath,
      agentConfigYaml({
        graph: {
          ...GRAPH,
          url: parts.graphUrl ?? GRAPH.url,
          authorityHost: parts.authorityHost ?? GRAPH.authorityHost,
        },
        tenantUrl: parts.tenantUrl ?? "https://klaxoon.example/scim/v2",
        mappingsPath: join(ROOT, "config", "klaxoon.mappings.yaml"),
        statePath: join(dir, "state.json"),
        extra: parts.extra,
      }),
    );
    return runAgentInProcess(["validate", "--config", configPath], env);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "eks-transport-"));
    await writeFile(join(dir, "klaxoon-token"), "token\n");
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each([
    ["klaxoon.tenantUrl", { tenantUrl: "http://klaxoon.example/scim/v2" }],
    ["klaxoon.tenantUrl", { tenantUrl: "http://127.attacker.example/scim/v2" }],
    ["klaxoon.tenantUrl", { tenantUrl: "http://10.0.0.5/scim/v2" }],
    ["graph.endpoint", { graphUrl: "http://graph.microsoft.com" }],
    ["graph.endpoint", { graphUrl: "http://127.0.0.1.nip.io" }],
    ["graph.authorityHost", { authorityHost: "http://login.microsoftonline.com" }],
    ["daemon.webhook.url", { extra: "daemon:\n  webhook: { url: http://hooks.example/x }" }],
    ["daemon.webhook.url", { extra: "daemon:\n  webhook: { url: http://127.hooks.example/x }" }],
  ])("refuses plain http to a remote host in %s (%o)", async (key, parts) => {
    const run = await validate(parts);
    expect(run.code).toBe(EXIT.config);
    expect(run.error?.message).toContain(join(dir, "config.yaml"));
    expect(run.error?.message).toContain(key);
    expect(run.error?.message).toMatch(/https:\/\/.*loopback/);
  });

  it.each([
    { tenantUrl: "http://127.0.0.1:8080/scim/v2" },
    { tenantUrl: "http://localhost:8080/scim/v2" },
    { tenantUrl: "http://[::1]:8080/scim/v2" },
    { tenantUrl: "http://127.1.2.3/scim/v2" },
    { graphUrl: "http://127.0.0.1:9000", authorityHost: "http://localhost:9000" },
    { extra: "daemon:\n  webhook: { url: http://127.0.0.1:9000/hook }" },
  ])("accepts plain http to loopback (%o)", async (parts) => {
    const run = await validate(parts);
    expect(run.error).toBeNull();
    expect(run.code).toBe(EXIT.success);
    expect(run.stdout).toContain("valid");
  });

  it("refuses to run with NODE_TLS_REJECT_UNAUTHORIZED=0, naming the variable", async () => {
    const run = await runAgentInProcess(["validate", "--config", join(dir, "config.yaml")], {
      ...env,
      NODE_TLS_REJECT_UNAUTHORIZED: "0",
    });
    expect(run.code).toBe(EXIT.config);
    expect(run.error?.code).toBe("CONFIG_TLS_VERIFICATION_OFF");
    expect(run.error?.message).toContain("NODE_TLS_REJECT_UNAUTHORIZED");
  });

  describe("against the HTTPS Graph emulator", () => {
    let world: AgentEnvironment;
    beforeAll(async () => {
      world = await startAgentEnvironment({
        graph: { tenant: generateTenant({ seed: 41, users: 3, groups: 0, assignedFraction: 1 }) },
      });
    });
    afterAll(async () => world.close());

    const sync = (extraEnv: NodeJS.ProcessEnv) => {
      const { NODE_EXTRA_CA_CERTS: _trusted, ...untrusting } = process.env;
      return runNode(["--import", "tsx", join(ROOT, "src", "main", "bin.ts"), "sync", "--config", world.configPath], {
        ...untrusting,
        GRAPH_CLIENT_SECRET: world.graph.clientSecret,
        ...extraEnv,
      });
    };

    it("refuses a certificate the process does not trust: no token is asked for, nothing is written", async () => {
      const run = await sync({});
      expect(run.code).toBe(EXIT.fatal);
      // MSAL reports an untrusted certificate only as "endpoints_resolution_error" (the TLS cause is not kept).
      expect(run.stderr).toContain("GRAPH_TOKEN_UNAVAILABLE");
      expect(world.graph.issuedAccessTokens()).toEqual([]);
      expect(world.klaxoon.store.countUsers()).toBe(0);
    });

    it("stops at once when NODE_TLS_REJECT_UNAUTHORIZED=0 would let an untrusted certificate through", async () => {
      const run = await sync({ NODE_TLS_REJECT_UNAUTHORIZED: "0" });
      expect(run.code).toBe(EXIT.config);
      expect(run.stderr).toContain("NODE_TLS_REJECT_UNAUTHORIZED");
      expect(world.graph.requestLog.entries.length).toBe(0);
      expect(world.graph.issuedAccessTokens()).toEqual([]);
    });
  });
});
