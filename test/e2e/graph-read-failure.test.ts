import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

/** A partial or failed Graph read never reaches the planner: no write, above all no deactivation. */
describe("a Graph read that fails halfway", () => {
  let env: AgentEnvironment;
  const isWrite = (e: { method: string }) => e.method !== "GET";

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 4, users: 0, groups: 0 }), maxPageSize: 5 },
    });
    for (let i = 0; i < 12; i += 1) {
      const user = env.graph.admin.addUser({
        userPrincipalName: `u${i}@contoso.example`,
        mail: `u${i}@contoso.example`,
        mailNickname: `u${i}`,
        givenName: "U",
        surname: String(i),
      });
      env.graph.admin.assign(user.id);
    }
    expect((await env.runAgent(["sync"])).code).toBe(0);
  });
  afterAll(async () => env.close());

  it("stops the cycle with a clear error and writes nothing to Klaxoon", async () => {
    env.klaxoon.requestLog.clear();
    // The assignment list is paged by 5: its second page now fails for good (retries included).
    env.graph.faults.add({ path: /appRoleAssignedTo$/, status: 503, nth: 2, permanent: true });
    const run = await env.runAgent(["sync", "--full-read"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/error \[GRAPH_[A-Z_]+\]: .*appRoleAssignedTo/);
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
    expect(env.klaxoon.deactivations).toEqual([]);
  });

  // A full read lists Klaxoon beside the Graph read (src/cycle/run-cycle.ts): the listing is
  // under way when Graph fails, and the cycle still reports Graph's error, writing nothing.
  it("lists Klaxoon beside a full Graph read, and still reports the Graph error when both fail", async () => {
    env.klaxoon.requestLog.clear();
    env.graph.faults.clear();
    env.graph.faults.add({ path: /appRoleAssignedTo$/, status: 503, nth: 2, permanent: true });
    env.klaxoon.faults.add({ method: "GET", path: "/Groups", status: 500 });
    const run = await env.runAgent(["sync", "--full-read"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/error \[GRAPH_[A-Z_]+\]: .*appRoleAssignedTo/);
    expect(run.stderr).not.toMatch(/KLAXOON|Unhandled|at async/);
    const listed = env.klaxoon.requestLog.entries.map((e) => `${e.method} ${e.path}`);
    expect(listed).toContain("GET /Users");
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
    env.klaxoon.faults.clear();
  });

  it("converges on the next cycle once Graph answers again", async () => {
    env.graph.faults.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("No changes.");
  });
});
