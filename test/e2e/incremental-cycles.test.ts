import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

/** Cycles after the first read only Graph's changes (delta queries), and the plan follows them. */
describe("incremental cycles through delta queries", () => {
  let env: AgentEnvironment;
  let ada = "";

  const graphRequests = (): number => Object.values(env.graph.requestLog.countsByPath()).reduce((a, b) => a + b, 0);
  const readMode = (stderr: string): string | undefined =>
    /"mode":"(full|delta|quiet)"[^\n]*"msg":"read Entra/.exec(stderr)?.[1];

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 21, users: 200, groups: 4, assignedFraction: 0.5 }) },
    });
    const user = env.graph.admin.addUser({
      userPrincipalName: "ada@contoso.example",
      mail: "ada@contoso.example",
      mailNickname: "ada",
      givenName: "Ada",
      surname: "Lovelace",
    });
    env.graph.admin.assign(user.id);
    ada = user.id;
  });
  afterAll(async () => env.close());

  it("reads everything on the first cycle", async () => {
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    expect(readMode(run.stderr)).toBe("full");
  });

  it("then reads only the changes: a handful of Graph requests, whatever the tenant size", async () => {
    env.graph.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    // Nothing changed and the first cycle left Klaxoon settled: quiet (see quiet-cycles.test.ts).
    expect(readMode(run.stderr)).toBe("quiet");
    expect(run.stdout).toContain("No changes.");
    expect(graphRequests()).toBeLessThan(10);
  });

  it("deactivates a soft-deleted user with that reason, and reactivates her when restored", async () => {
    env.graph.admin.softDeleteUser(ada);
    const deleted = await env.runAgent(["sync"]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toMatch(/- ada@contoso\.example\s+\(softDeleted\)/);
    expect(env.klaxoon.deactivations.map((d) => d.userName)).toEqual(["ada@contoso.example"]);

    env.graph.admin.restoreUser(ada);
    const restored = await env.runAgent(["sync"]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/~ ada@contoso\.example\s+active: false → true/);
  });

  it("reads everything again when asked (--full-read), with the same result", async () => {
    const run = await env.runAgent(["sync", "--full-read"]);
    expect(run.code).toBe(0);
    expect(readMode(run.stderr)).toBe("full");
    expect(run.stdout).toContain("No changes.");
  });

  it("falls back to a full read when the delta token expired, losing nothing", async () => {
    env.graph.admin.updateUser(ada, { givenName: "Augusta" });
    env.graph.admin.expireDeltaTokens();
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    expect(readMode(run.stderr)).toBe("full");
    expect(run.stdout).toMatch(/name\.givenName: "Ada" → "Augusta"/);
  });
});
