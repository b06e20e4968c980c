import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment, type EnvironmentOptions } from "../support/agent-environment.js";
import { listHeldUsers } from "../support/scim-peek.js";

/**
 * The deletion guard end to end (Entra's "accidental deletions" threshold): an empty read from
 * Graph never deactivates the managed accounts, and a cycle with more deactivations than the
 * threshold applies everything else, holds the deactivations, and exits 5 until an
 * administrator allows them once.
 */
const EXIT_OK = 0;
const EXIT_GUARD_HELD = 5;
const isWrite = (e: { method: string }): boolean => e.method !== "GET";
const upn = (n: number): string => `person${String(n).padStart(2, "0")}@contoso.example`;

/** A world with `count` directly assigned users, person01… . */
async function startWorld(
  count: number,
  options: EnvironmentOptions = {},
): Promise<{ env: AgentEnvironment; ids: string[] }> {
  const env = await startAgentEnvironment({
    ...options,
    graph: { tenant: generateTenant({ seed: 5, users: 0, groups: 0 }), maxPageSize: 5 },
  });
  const ids: string[] = [];
  for (let i = 1; i <= count; i += 1) ids.push(addAssignedUser(env, i));
  return { env, ids };
}

function addAssignedUser(env: AgentEnvironment, n: number): string {
  const nick = `person${String(n).padStart(2, "0")}`;
  const user = env.graph.admin.addUser({
    userPrincipalName: upn(n),
    mail: upn(n),
    mailNickname: nick,
    givenName: `Given${n}`,
    surname: `Family${n}`,
  });
  env.graph.admin.assign(user.id);
  return user.id;
}

describe("deletion guard: Graph returns no assignments at all", () => {
  let env: AgentEnvironment;
  let ids: string[];

  beforeAll(async () => {
    ({ env, ids } = await startWorld(12));
    const first = await env.runAgent(["sync"]);
    if (first.code !== EXIT_OK) throw new Error(`initial cycle failed (${String(first.code)}): ${first.stderr}`);
  });
  afterAll(async () => env?.close());

  it("exits 5, says the guard holds and why, and deactivates nobody", async () => {
    for (const id of ids) expect(env.graph.admin.unassign(id)).toBe(1);
    env.klaxoon.requestLog.clear();

    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(EXIT_GUARD_HELD);
    expect(run.stdout).toContain(
      "Deletion guard HOLDS 12 deactivations: Graph returned no in-scope users while 12 accounts are managed",
    );
    expect(run.stdout).toContain("--allow-deactivations");
    expect(run.stdout).toMatch(/Held by the deletion guard: 12 deactivations\./);
    expect(run.stdout).toMatch(/, 0 to deactivate, /);
    for (let i = 1; i <= 12; i += 1) expect(run.stdout).toContain(`- ${upn(i)}  (unassigned)`);

    expect(env.klaxoon.deactivations).toEqual([]);
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
    const held = await listHeldUsers(env.klaxoon.url, env.klaxoon.token);
    expect(held).toHaveLength(12);
    expect(held.every((u) => u.active)).toBe(true);
  });

  it("keeps holding on the next cycle, and in a JSON dry run", async () => {
    const again = await env.runAgent(["sync"]);
    expect(again.code, again.stderr).toBe(EXIT_GUARD_HELD);
    expect(again.stdout).toContain("Deletion guard HOLDS 12 deactivations");

    const dry = await env.runAgent(["sync", "--dry-run", "--output", "json"]);
    expect(dry.code, dry.stderr).toBe(EXIT_GUARD_HELD);
    const plan = JSON.parse(dry.stdout) as {
      operations: unknown[];
      held: { action: string; reason: string }[];
      guard: { held: boolean; deactivations: number; reason: string };
    };
    expect(plan.operations).toEqual([]);
    expect(plan.held).toHaveLength(12);
    expect(plan.held.every((op) => op.action === "deactivate" && op.reason === "unassigned")).toBe(true);
    expect(plan.guard).toMatchObject({
      held: true,
      deactivations: 12,
      reason: expect.stringContaining("Graph returned no in-scope users"),
    });

    expect(env.klaxoon.deactivations).toEqual([]);
  });
});

describe("deletion guard: more deactivations than deletionGuard.maxDeactivations", () => {
  let env: AgentEnvironment;
  let ids: string[];

  beforeAll(async () => {
    ({ env, ids } = await startWorld(10, { extraConfig: "deletionGuard:\n  maxDeactivations: 2\n" }));
    const first = await env.runAgent(["sync"]);
    if (first.code !== EXIT_OK) throw new Error(`initial cycle failed (${String(first.code)}): ${first.stderr}`);
  });
  afterAll(async () => env?.close());

  it("applies creates and updates, holds the 3 deactivations, exits 5", async () => {
    for (const i of [2, 5, 7]) env.graph.admin.unassign(ids[i - 1] ?? "");
    addAssignedUser(env, 11);
    env.graph.admin.updateUser(ids[0] ?? "", { givenName: "Renamed" });
    env.klaxoon.requestLog.clear();

    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(EXIT_GUARD_HELD);
    expect(run.stdout).toContain("Deletion guard HOLDS 3 deactivations: 3 deactivations exceed the threshold of 2");
    for (const i of [2, 5, 7]) expect(run.stdout).toContain(`- ${upn(i)}  (unassigned)`);

    // The create and the update went through; no deactivation did.
    expect(env.klaxoon.requestLog.count((e) => e.method === "POST" && e.path === "/Users")).toBe(1);
    expect(env.klaxoon.requestLog.count((e) => e.method === "PATCH")).toBe(1);
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(2);
    expect(env.klaxoon.deactivations).toEqual([]);
    expect(env.klaxoon.store.findUserByUserName(upn(11))).toMatchObject({ active: true });
    expect(env.klaxoon.store.findUserByUserName(upn(1))?.["name"]).toMatchObject({ givenName: "Renamed" });
    expect(env.klaxoon.store.countActiveUsers()).toBe(11);
  });

  it("a dry run with --allow-deactivations plans exactly those 3 deactivations and writes nothing", async () => {
    env.klaxoon.requestLog.clear();
    const dry = await env.runAgent(["sync", "--dry-run", "--allow-deactivations", "--output", "json"]);
    expect(dry.code, dry.stderr).toBe(EXIT_OK);
    const plan = JSON.parse(dry.stdout) as {
      operations: { action: string; reason?: string; object: { label: string } }[];
      held: unknown[];
      guard: { held: boolean };
    };
    expect(plan.guard.held).toBe(false);
    expect(plan.held).toEqual([]);
    expect(plan.operations.map((op) => [op.action, op.reason, op.object.label])).toEqual(
      [2, 5, 7].map((i) => ["deactivate", "unassigned", upn(i)]),
    );
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
  });

  it("sync --allow-deactivations applies the held deactivations once, and exits 0", async () => {
    env.klaxoon.requestLog.clear();
    const run = await env.runAgent(["sync", "--allow-deactivations"]);
    expect(run.code, run.stderr).toBe(EXIT_OK);
    expect(run.stdout).not.toContain("Deletion guard HOLDS");
    expect(env.klaxoon.deactivations.map((d) => d.userName).sort()).toEqual([upn(2), upn(5), upn(7)]);
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(3);
    const held = await listHeldUsers(env.klaxoon.url, env.klaxoon.token);
    expect(
      held
        .filter((u) => !u.active)
        .map((u) => u.userName)
        .sort(),
    ).toEqual([upn(2), upn(5), upn(7)]);
    expect(held.filter((u) => u.active)).toHaveLength(8);
  });

  it("afterwards a plain cycle has nothing left to do", async () => {
    env.klaxoon.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(EXIT_OK);
    expect(run.stdout).toContain("No changes.");
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
    expect(env.klaxoon.deactivations).toHaveLength(3);
  });
});
