import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { listHeldUsers } from "../support/scim-peek.js";

/**
 * Issue 2's path end to end: the real credential gets a token from the Graph emulator, the
 * agent reads the assignments over several pages, creates the users in Klaxoon, converges,
 * and deactivates exactly the unassigned and the disabled user. Run as a user runs it: the
 * executable in a child process (most other end-to-end tests run the same entry in-process).
 */
describe("one real sync cycle, end to end", () => {
  let env: AgentEnvironment;
  const userIds: string[] = [];
  const isWrite = (e: { method: string }) => e.method !== "GET";

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 1, users: 0, groups: 0 }), maxPageSize: 10 },
      extraConfig: "provisioningLog:\n  file: provisioning.jsonl\n",
      childProcess: true,
    });
    for (let i = 1; i <= 25; i += 1) {
      const n = String(i).padStart(2, "0");
      const user = env.graph.admin.addUser({
        userPrincipalName: `user${n}@contoso.example`,
        mail: `user${n}@contoso.example`,
        mailNickname: `user${n}`,
        givenName: `Given${n}`,
        surname: `Family${n}`,
      });
      env.graph.admin.assign(user.id);
      userIds.push(user.id);
    }
  });
  afterAll(async () => env.close());

  it("dry run prints every planned create and writes nothing", async () => {
    const run = await env.runAgent(["sync", "--dry-run"]);
    expect(run.stderr).not.toContain("error");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Plan: 25 to create, /);
    for (let i = 1; i <= 25; i += 1) expect(run.stdout).toContain(`user${String(i).padStart(2, "0")}@contoso.example`);
    expect(run.stdout).toContain("Dry run: nothing was written.");
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
    // Assignments came over several pages.
    expect(
      env.graph.requestLog.countsByPath()["GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo"],
    ).toBeGreaterThanOrEqual(3);
  });

  it("creates every assigned user", async () => {
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    const held = await listHeldUsers(env.klaxoon.url, env.klaxoon.token);
    expect(held.map((u) => u.userName).sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `user${String(i + 1).padStart(2, "0")}@contoso.example`),
    );
    expect(held.every((u) => u.active)).toBe(true);
    expect(held[0]?.raw["name"]).toMatchObject({
      givenName: expect.stringMatching(/^Given/),
      familyName: expect.stringMatching(/^Family/),
    });
    expect(env.klaxoon.requestLog.count((e) => e.method === "POST")).toBe(25);
    // One provisioning record per object and action, like Entra's provisioning logs.
    const records = (await readFile(join(env.dir, "provisioning.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(25);
    expect(records[0]).toMatchObject({
      kind: "user",
      action: "create",
      status: "success",
      sourceId: expect.any(String),
      targetId: expect.any(String),
      cycleId: expect.any(String),
    });
    expect(records.map((r) => r["object"]).sort()).toEqual(held.map((u) => u.userName).sort());
  });

  it("makes zero SCIM writes when nothing changed", async () => {
    env.klaxoon.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("No changes.");
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
  });

  it("deactivates exactly the unassigned user and the disabled user", async () => {
    env.klaxoon.requestLog.clear();
    const [unassigned, disabled] = [userIds[3] ?? "", userIds[7] ?? ""];
    env.graph.admin.unassign(unassigned);
    env.graph.admin.disableUser(disabled);
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    expect(env.klaxoon.deactivations.map((d) => d.userName).sort()).toEqual([
      "user04@contoso.example",
      "user08@contoso.example",
    ]);
    const held = await listHeldUsers(env.klaxoon.url, env.klaxoon.token);
    expect(
      held
        .filter((u) => !u.active)
        .map((u) => u.userName)
        .sort(),
    ).toEqual(["user04@contoso.example", "user08@contoso.example"]);
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(2);
  });
});
