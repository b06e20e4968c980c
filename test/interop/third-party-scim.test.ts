import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type TargetEnvironment } from "../support/agent-environment.js";
import { listHeldUsers } from "../support/scim-peek.js";
import { startBetterAuthScimServer, type BetterAuthScimServer } from "./better-auth-scim-server.js";

/**
 * The walking-skeleton scenario against a SCIM server nobody here wrote (Better Auth's SCIM
 * plugin, as it comes), with the shipped Klaxoon mappings less what that server cannot hold:
 * Klaxoon's group license extension. Users, groups and group members stay on.
 */
const KLAXOON_EXTENSION = "urn:ietf:params:scim:schemas:extension:klaxoon:";

async function mappingsWithoutKlaxoonExtension(): Promise<string> {
  const shipped = parse(
    await readFile(join(import.meta.dirname, "../../config/klaxoon.mappings.yaml"), "utf8"),
  ) as Record<string, unknown>;
  const keep = (list: unknown): unknown[] =>
    (Array.isArray(list) ? list : []).filter(
      (m: unknown) =>
        !(
          typeof m === "object" &&
          m !== null &&
          String((m as { target?: unknown }).target).startsWith(KLAXOON_EXTENSION)
        ),
    );
  return stringify({ ...shipped, users: keep(shipped["users"]), groups: keep(shipped["groups"]) });
}

const upn = (i: number): string => `user${String(i).padStart(2, "0")}@contoso.example`;

describe("the walking skeleton against Better Auth's SCIM server (Klaxoon group license extension switched off)", () => {
  let server: BetterAuthScimServer;
  let env: TargetEnvironment;
  const userIds: string[] = [];
  const writes = (): number => server.requests.filter((r) => r.method !== "GET").length;

  beforeAll(async () => {
    server = await startBetterAuthScimServer();
    const mappingsYaml = await mappingsWithoutKlaxoonExtension();
    expect(mappingsYaml).not.toContain("klaxoon");
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 1, users: 0, groups: 0 }), maxPageSize: 10 },
      target: server,
      mappingsYaml,
    });
    for (let i = 1; i <= 25; i += 1) {
      const n = String(i).padStart(2, "0");
      const user = env.graph.admin.addUser({
        userPrincipalName: upn(i),
        mail: upn(i),
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
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Plan: 25 to create, /);
    for (let i = 1; i <= 25; i += 1) expect(run.stdout).toContain(upn(i));
    expect(run.stdout).toContain("Dry run: nothing was written.");
    expect(server.requests.length).toBeGreaterThan(0);
    expect(writes()).toBe(0);
  });

  it("creates every assigned user", async () => {
    const run = await env.runAgent(["sync"]);
    expect(run.stderr).not.toContain("error");
    expect(run.code, run.stderr).toBe(0);
    const held = await listHeldUsers(server.url, server.token);
    expect(held.map((u) => u.userName).sort()).toEqual(Array.from({ length: 25 }, (_, i) => upn(i + 1)));
    expect(held.every((u) => u.active)).toBe(true);
    const first = held.find((u) => u.userName === upn(1));
    expect(first?.raw["name"]).toMatchObject({ givenName: "Given01", familyName: "Family01" });
    expect(first?.raw["externalId"]).toBe("user01");
    expect(first?.raw["emails"]).toEqual([expect.objectContaining({ type: "work", value: upn(1) })]);
    expect(server.requests.filter((r) => r.method === "POST" && r.path === "/Users" && r.status === 201)).toHaveLength(
      25,
    );
    expect(writes()).toBe(25);
  });

  it("makes zero SCIM writes when nothing changed", async () => {
    server.requests.length = 0;
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("No changes.");
    expect(writes()).toBe(0);
  });

  it("deactivates exactly the unassigned user and the disabled user", async () => {
    server.requests.length = 0;
    env.graph.admin.unassign(userIds[3] ?? "");
    env.graph.admin.disableUser(userIds[7] ?? "");
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    const held = await listHeldUsers(server.url, server.token);
    const inactive = held.filter((u) => !u.active);
    expect(inactive.map((u) => u.userName).sort()).toEqual([upn(4), upn(8)]);
    expect(held).toHaveLength(25);
    const patched = server.requests.filter((r) => r.method !== "GET");
    expect(patched.map((r) => `${r.method} ${r.path} ${r.status}`).sort()).toEqual(
      inactive.map((u) => `PATCH /Users/${u.id} 200`).sort(),
    );
  });

  it("creates an assigned group with its members, converges, then removes a member", async () => {
    const group = env.graph.admin.addGroup({ displayName: "Team Alpha", securityEnabled: true });
    for (const id of userIds.slice(0, 3)) env.graph.admin.addMember(group.id, id);
    env.graph.admin.assign(group.id);
    server.requests.length = 0;
    const create = await env.runAgent(["sync"]);
    expect(create.code, create.stderr).toBe(0);
    const held = await listHeldUsers(server.url, server.token);
    const idOf = (name: string): string => held.find((u) => u.userName === name)?.id ?? "";
    const groups = await listHeldGroups(server);
    expect(groups).toEqual([expect.objectContaining({ displayName: "Team Alpha", externalId: group.id })]);
    expect(memberIds(groups[0])).toEqual([idOf(upn(1)), idOf(upn(2)), idOf(upn(3))].sort());
    expect(server.requests.filter((r) => r.method !== "GET").every((r) => r.path.startsWith("/Groups"))).toBe(true);

    server.requests.length = 0;
    const again = await env.runAgent(["sync"]);
    expect(again.code, again.stderr).toBe(0);
    expect(writes()).toBe(0);

    env.graph.admin.removeMember(group.id, userIds[1] ?? "");
    const remove = await env.runAgent(["sync"]);
    expect(remove.code, remove.stderr).toBe(0);
    expect(memberIds((await listHeldGroups(server))[0])).toEqual([idOf(upn(1)), idOf(upn(3))].sort());
  });
});

async function listHeldGroups(server: BetterAuthScimServer): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${server.url}/Groups?startIndex=1&count=100`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  expect(response.status).toBe(200);
  const page = (await response.json()) as { Resources?: Record<string, unknown>[] };
  return page.Resources ?? [];
}

function memberIds(group: Record<string, unknown> | undefined): string[] {
  const members = group?.["members"];
  return (Array.isArray(members) ? members : []).map((m: unknown) => String((m as { value?: unknown }).value)).sort();
}
