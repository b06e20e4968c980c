import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConnectionProbes, klaxoonVerdict } from "../../src/main/connection-probes.js";
import { renderConnectionReport, testConnection, type ConnectionProbes } from "../../src/cli/test-connection.js";
import { loadConfig } from "../../src/config/index.js";
import { Secret } from "../../src/config/secret.js";
import type { AgentConfig } from "../../src/config/load-config.js";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { systemClock } from "../../src/model/index.js";
import { KLAXOON_DEFAULTS } from "../../src/config/index.js";
import { createVirtualClock } from "../support/virtual-clock.js";

/** `test-connection` against the Graph and Klaxoon emulators, as Entra's Test Connection button. */
const silent = pino({ level: "silent" });

describe("test-connection against the emulators", () => {
  let env: AgentEnvironment;
  let config: AgentConfig;

  beforeAll(async () => {
    env = await startAgentEnvironment({ graph: { tenant: generateTenant({ seed: 9, users: 2, groups: 0 }) } });
    config = await loadConfig(env.configPath, { GRAPH_CLIENT_SECRET: env.graph.clientSecret });
  });
  afterAll(async () => env.close());

  const run = (c: AgentConfig) => testConnection(c, buildConnectionProbes(c, silent, systemClock));
  const withKlaxoon = (changes: Partial<AgentConfig["klaxoon"]>): AgentConfig => ({
    ...config,
    klaxoon: { ...config.klaxoon, ...changes },
  });

  it("reports OK on both sides with good credentials, and sends Entra's probe", async () => {
    env.klaxoon.requestLog.clear();
    const report = await run(config);
    expect(report.graph.result).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/token OK; service principal ".*" \(.+\) read/),
    });
    expect(report.klaxoon.result).toEqual({
      ok: true,
      detail: 'GET /Users?filter=userName eq "<random GUID>" answered 200 with an empty list',
    });
    expect(report.ok).toBe(true);
    const [probe] = env.klaxoon.requestLog.entries;
    expect(probe).toMatchObject({ method: "GET", path: "/Users", status: 200 });
    expect(decodeURIComponent(probe?.query ?? "")).toMatch(/filter=userName eq "[0-9a-f-]{36}"/);
    const text = renderConnectionReport(report);
    expect(text).toMatch(/^Graph {4}OK {6}tenant .+, app .+: token OK/m);
    expect(text).toMatch(new RegExp(`^Klaxoon  OK {6}${env.klaxoon.url}: GET /Users`, "m"));
    expect(text.trim().split("\n")).toHaveLength(2);
    expect(text).not.toContain(env.klaxoon.token);
    expect(text).not.toContain(env.graph.clientSecret);
  });

  it("reports a wrong Klaxoon token as FAILED with the 401", async () => {
    const report = await run(withKlaxoon({ secretToken: new Secret("wrong-token-value") }));
    expect(report.ok).toBe(false);
    expect(report.graph.result.ok).toBe(true);
    expect(report.klaxoon.result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/Secret Token was refused \(HTTP 401.*check klaxoon\.secretToken/),
    });
    const text = renderConnectionReport(report);
    expect(text).toMatch(/^Klaxoon  FAILED  .*HTTP 401/m);
    expect(text).not.toContain("wrong-token-value");
  });

  it("reports a wrong Graph secret as FAILED on the Graph side with Entra's AADSTS reason", async () => {
    const wrong = await loadConfig(env.configPath, { GRAPH_CLIENT_SECRET: "not-the-secret" });
    const report = await run(wrong);
    expect(report.ok).toBe(false);
    expect(report.klaxoon.result.ok).toBe(true);
    expect(report.graph.result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no token with the configured clientSecret credential: AADSTS7000215/),
    });
    const text = renderConnectionReport(report);
    expect(text).toMatch(/^Graph {4}FAILED  .*AADSTS7000215/m);
    expect(text).not.toContain("not-the-secret");
  });

  it("reports a Tenant URL whose /Users is 404 as not SCIM-compliant", async () => {
    const report = await run(withKlaxoon({ tenantUrl: env.klaxoon.url.replace(/\/scim\/v2$/, "/not-scim") }));
    expect(report.klaxoon.result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not SCIM-compliant: GET \/Users answered HTTP 404: check klaxoon\.tenantUrl/),
    });
    expect(renderConnectionReport(report)).toMatch(/^Klaxoon  FAILED  .*\/not-scim: not SCIM-compliant/m);
  });

  it("reports an app the tenant does not have as FAILED on the Graph side", async () => {
    const report = await run({ ...config, app: { ...config.app, appId: "00000000-0000-0000-0000-00000000abcd" } });
    expect(report.graph.result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/token OK, but no service principal for app 00000000-0000-0000-0000-00000000abcd/),
    });
  });

  it("reports an unreachable Tenant URL as FAILED, after the retries a cycle makes (on virtual time)", async () => {
    const clock = createVirtualClock();
    const unreachable = withKlaxoon({ tenantUrl: "http://127.0.0.1:1/scim/v2" });
    const report = await testConnection(unreachable, buildConnectionProbes(unreachable, silent, clock));
    expect(report.klaxoon.result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/could not complete .*network error/),
    });
    // The probe uses the cycle's SCIM settings: every retry's back-off was waited on the injected clock.
    expect(clock.sleeps.filter((ms) => ms >= KLAXOON_DEFAULTS.retryBaseDelayMs).length).toBeGreaterThanOrEqual(
      KLAXOON_DEFAULTS.maxRetries,
    );
  });
});

describe("testConnection and its verdicts", () => {
  const config = {
    graph: { tenantId: "contoso" },
    app: { appId: "11111111-1111-1111-1111-111111111111" },
    klaxoon: { tenantUrl: "https://u:p@klaxoon.example/scim/v2?x=1" },
  } as unknown as AgentConfig;

  it("turns a probe that throws into that side's failure, and never prints URL credentials", async () => {
    const probes: ConnectionProbes = {
      checkGraph: async () => ({ ok: true, detail: "fine" }),
      checkKlaxoon: async () => {
        throw new Error("boom");
      },
    };
    const report = await testConnection(config, probes);
    expect(report).toMatchObject({
      ok: false,
      klaxoon: { target: "https://klaxoon.example/scim/v2", result: { ok: false, reason: "unexpected error: boom" } },
    });
    expect(renderConnectionReport(report)).toBe(
      "Graph    OK      tenant contoso, app 11111111-1111-1111-1111-111111111111: fine\n" +
        "Klaxoon  FAILED  https://klaxoon.example/scim/v2: unexpected error: boom\n",
    );
  });

  it.each([
    [
      "a user found by a random userName (filter ignored)",
      { ok: true as const, value: { id: "u1", userName: "someone", active: true, attributes: {} } },
      /^not SCIM-compliant: .* returned user u1 \(the filter was ignored\)/,
    ],
    [
      "several users for one userName (filter ignored)",
      { ok: false as const, kind: "conflict" as const, status: 200, message: "3 users match userName" },
      /^not SCIM-compliant: .*3 users match/,
    ],
    [
      "a 403",
      { ok: false as const, kind: "unauthorized" as const, status: 403, message: "HTTP 403: no detail" },
      /^the Secret Token was refused \(HTTP 403/,
    ],
    [
      "a 500",
      { ok: false as const, kind: "transient" as const, status: 500, message: "HTTP 500: no detail" },
      /^could not complete .*HTTP 500/,
    ],
  ])("fails the Klaxoon side on %s", (_name, outcome, reason) => {
    const verdict = klaxoonVerdict(outcome);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? "" : verdict.reason).toMatch(reason);
  });
});
