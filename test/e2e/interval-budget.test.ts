import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { watchAgent } from "../support/watch-agent.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

/**
 * Beyond Entra: Entra's interval is fixed (~40 minutes). Here `daemon.intervalMinutes` is the
 * administrator's, and the daemon says when a cycle does not fit it. The interval is 3 seconds and
 * Graph answers the app's assignment list (re-read by every cycle, full or delta) after 3
 * seconds, so every cycle takes longer than 80% of it.
 */
describe("a configured interval too short for the cycle", () => {
  let env: AgentEnvironment;

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 10, users: 0, groups: 0 }) },
      extraConfig: "daemon:\n  intervalMinutes: 0.05\n  health: { host: 127.0.0.1, port: 0 }\n",
    });
    const user = env.graph.admin.addUser({
      userPrincipalName: "ada@contoso.example",
      mail: "ada@contoso.example",
      mailNickname: "ada",
      givenName: "Ada",
      surname: "Lovelace",
    });
    env.graph.admin.assign(user.id);
    env.graph.faults.add({ path: /\/appRoleAssignedTo$/, latencyMs: 3000 });
  });
  afterAll(async () => env.close());

  it("logs a warning naming the interval, the duration and a longer interval, and /readyz shows it while staying ready", async () => {
    const child = env.spawnAgent(["run"]);
    const { until, exited } = watchAgent(child);
    const url = (await until(/"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*health and metrics listening/))[1] ?? "";
    const line = (await until(/^.*"code":"INTERVAL_TOO_SHORT".*$/m))[0];
    const warning = JSON.parse(line) as Record<string, unknown>;
    expect(warning).toMatchObject({ level: 40, intervalSeconds: 3 });
    expect(Number(warning["durationSeconds"])).toBeGreaterThanOrEqual(3);
    expect(String(warning["msg"])).toMatch(
      /^interval too short: the cycle took \d+ s: \d+% of the 3 s interval, so cycles may start late; set daemon\.intervalMinutes to at least 1/,
    );
    expect(env.klaxoon.store.countUsers()).toBe(1);

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toMatch(/^ok \(warning: the cycle took \d+ s: .*daemon\.intervalMinutes/);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
