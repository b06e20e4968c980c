import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { listHeldUsers } from "../support/scim-peek.js";

describe("provision on demand (sync --user / --group)", () => {
  let env: AgentEnvironment;
  const ids: string[] = [];

  beforeAll(async () => {
    env = await startAgentEnvironment({ graph: { tenant: generateTenant({ seed: 5, users: 0, groups: 0 }) } });
    for (const nick of ["ada", "bob", "cy"]) {
      const user = env.graph.admin.addUser({
        userPrincipalName: `${nick}@contoso.example`,
        mail: `${nick}@contoso.example`,
        mailNickname: nick,
        givenName: nick,
        surname: "Test",
      });
      env.graph.admin.assign(user.id);
      ids.push(user.id);
    }
  });
  afterAll(async () => env.close());

  it("creates only the named user and shows each step", async () => {
    const run = await env.runAgent(["sync", "--user", "BOB@contoso.example"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1\. Read from Entra: ok/);
    expect(run.stdout).toMatch(/2\. Scoping: ok — in scope/);
    expect(run.stdout).toMatch(/3\. Attribute mapping: ok — userName="bob@contoso\.example"/);
    expect(run.stdout).toMatch(/4\. Match in Klaxoon: ok — no Klaxoon account matches: it will be created/);
    expect(run.stdout).toMatch(/user create bob@contoso\.example: success/);
    const held = await listHeldUsers(env.klaxoon.url, env.klaxoon.token);
    expect(held.map((u) => u.userName)).toEqual(["bob@contoso.example"]);
  });

  it("leaves the others to the next full cycle, which still creates them and keeps the link", async () => {
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    expect(env.klaxoon.requestLog.count((e) => e.method === "POST")).toBe(3);
  });

  it("deactivates a named user who was unassigned, and says why", async () => {
    env.graph.admin.unassign(ids[0] ?? "");
    const run = await env.runAgent(["sync", "--user", ids[0] ?? ""]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/user deactivate ada@contoso\.example: success/);
    expect(env.klaxoon.deactivations.map((d) => d.userName)).toEqual(["ada@contoso.example"]);
  });

  it("says clearly when the object is not assigned, and exits 6", async () => {
    const run = await env.runAgent(["sync", "--user", "nobody@contoso.example", "--dry-run"]);
    expect(run.code).toBe(EXIT.onDemandNotProvisioned);
    expect(run.stdout).toMatch(/Read from Entra: stopped — no user "nobody@contoso\.example"/);
    expect(run.stdout).toMatch(/2\. Action: none — not provisioned \(step 1, Read from Entra, stopped\)/);
    const group = await env.runAgent(["sync", "--group", "No Such Group"]);
    expect(group.code).toBe(EXIT.onDemandNotProvisioned);
    expect(group.stdout).toMatch(/Read from Entra: stopped — no group "No Such Group"/);
  });
});
