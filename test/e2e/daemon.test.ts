import { readFile, stat, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { watchAgent } from "../support/watch-agent.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

/** `run` as Kubernetes runs it: cycles, health and metrics, then SIGTERM → a clean exit. */
describe("the daemon (entra-klaxoon-sync run)", () => {
  let env: AgentEnvironment;

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 9, users: 0, groups: 0 }) },
      extraConfig: "daemon:\n  intervalMinutes: 60\n  health: { host: 127.0.0.1, port: 0 }\n",
    });
    for (const nick of ["ada", "bob"]) {
      const user = env.graph.admin.addUser({
        userPrincipalName: `${nick}@contoso.example`,
        mail: `${nick}@contoso.example`,
        mailNickname: nick,
        givenName: nick,
        surname: "Test",
      });
      env.graph.admin.assign(user.id);
    }
  });
  afterAll(async () => env.close());

  it("runs a cycle at start, serves health and metrics, and stops cleanly on SIGTERM", async () => {
    const child = env.spawnAgent(["run"]);
    const { until, exited, stderr } = watchAgent(child);
    const url = (await until(/"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*health and metrics listening/))[1] ?? "";
    await until(/"msg":"cycle finished"/);
    expect(env.klaxoon.store.countUsers()).toBe(2);

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/# TYPE \S+ \w+/);
    expect(metrics).toContain("# HELP");
    // The SCIM adapter reports each answer: the first cycle listed users and created two.
    expect(metrics).toMatch(/scim_requests_total\{[^}]*status="201"[^}]*\} 2/);
    expect(metrics).toMatch(/graph_requests_total\{[^}]*status="200"[^}]*\} [1-9]/);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr().match(/"msg":"daemon stopped"/g)).toHaveLength(1);
    const state = JSON.parse(await readFile(env.statePath, "utf8")) as {
      links: { users: Record<string, string> };
      quarantine: { status: string } | null;
    };
    expect(Object.keys(state.links.users)).toHaveLength(2);
    expect(state.quarantine?.status).toBe("healthy");
    // The lock is released: a one-shot cycle can run now.
    expect((await env.runAgent(["sync"])).code).toBe(0);
  });

  it("while nothing changes its cycles are quiet: a healthy quarantine record is not written again", async () => {
    const config = await readFile(env.configPath, "utf8");
    await writeFile(env.configPath, config.replace("intervalMinutes: 60", "intervalMinutes: 0.05"));
    const before = await stat(env.statePath, { bigint: true });
    const child = env.spawnAgent(["run"]);
    const { until, exited, stderr } = watchAgent(child);
    try {
      await until(/"msg":"cycle finished"[\s\S]*"msg":"cycle finished"[\s\S]*"msg":"cycle finished"/);
    } finally {
      child.kill("SIGTERM");
      await writeFile(env.configPath, config);
    }
    expect(await exited).toBe(0);
    const modes = [...stderr().matchAll(/"mode":"(\w+)"[^\n]*"msg":"read Entra/g)].map((m) => m[1]);
    expect(modes.slice(0, 3)).toEqual(["quiet", "quiet", "quiet"]);
    const after = await stat(env.statePath, { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([before.ino, before.mtimeNs]);
  });
});
