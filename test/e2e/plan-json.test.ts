import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant, type TenantData, type TenantUser } from "../fixtures/tenant.js";
import { KLAXOON_GROUP_EXTENSION_URN } from "../emulators/klaxoon/index.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { listHeldUsers } from "../support/scim-peek.js";
import { PLAN_VERSION } from "../../src/plan/types.js";

/**
 * The plan as data, end to end: after an initial cycle, a batch of mixed Entra changes must
 * come out of `sync --dry-run --output json` (and `--plan-file`) as exactly those operations,
 * nothing written; the real cycle then applies them and the next cycle writes nothing.
 */
const LICENSE = `${KLAXOON_GROUP_EXTENSION_URN}:license`;
const isWrite = (e: { method: string }): boolean => e.method !== "GET";

interface PlanJson {
  version: number;
  createdAt: string;
  operations: OperationJson[];
  held: OperationJson[];
  adoptions: unknown[];
  warnings: { code: string; kind: string; label: string }[];
  guard: { held: boolean; deactivations: number; reason: string | null };
  counts: Record<string, number>;
}

interface OperationJson {
  action: string;
  kind: string;
  object: { sourceId: string | null; targetId: string | null; label: string };
  reason?: string;
  changes?: { path: string; from: unknown; to: unknown }[];
  members?: { sourceId: string | null; targetId: string | null; label: string }[];
  attributes?: Record<string, unknown>;
}

/** What a reviewer reads in an operation, with the order of its changes and members fixed. */
function summarise(op: OperationJson): Record<string, unknown> {
  return {
    action: op.action,
    kind: op.kind,
    label: op.object.label,
    ...(op.reason !== undefined ? { reason: op.reason } : {}),
    ...(op.changes !== undefined ? { changes: [...op.changes].sort((a, b) => a.path.localeCompare(b.path)) } : {}),
    ...(op.members !== undefined ? { members: op.members.map((m) => m.label).sort() } : {}),
  };
}

function bySortKey(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return `${String(a["action"])} ${String(a["label"])}`.localeCompare(`${String(b["action"])} ${String(b["label"])}`);
}

/** A tenant with a few dozen users, every (security) group assigned, one of them "Klaxoon PRO". */
function makeTenant(): TenantData {
  const tenant = generateTenant({
    seed: 11,
    users: 60,
    groups: 4,
    maxGroupSize: 8,
    assignedFraction: 0.4,
    assignedGroupFraction: 1,
  });
  const pro = tenant.groups[2];
  if (!pro) throw new Error("tenant has fewer than 3 groups");
  pro.displayName = "Klaxoon PRO";
  return tenant;
}

describe("the plan as JSON, from a batch of mixed Entra changes", () => {
  let env: AgentEnvironment;
  let tenant: TenantData;
  // The people and groups the changes are made to, chosen from the generated tenant.
  let renamed: TenantUser, disabled: TenantUser, unassigned: TenantUser, regiven: TenantUser, mover: TenantUser;
  let from: { id: string; displayName: string },
    to: { id: string; displayName: string },
    pro: { id: string; displayName: string };
  let expected: Record<string, unknown>[];
  const newUpn = "renamed.person@contoso.example";
  const newGivenName = "Gwendoline";
  const newGroupName = "Klaxoon Everyone";

  beforeAll(async () => {
    tenant = makeTenant();
    env = await startAgentEnvironment({ graph: { tenant, maxPageSize: 10 } });

    const assignedGroups = tenant.groups.filter(
      (g) => g.securityEnabled && tenant.assignments.some((a) => a.principalId === g.id),
    );
    const memberOfAssigned = new Set(assignedGroups.flatMap((g) => g.memberIds));
    const directlyAssigned = new Set(
      tenant.assignments.filter((a) => a.principalType === "User").map((a) => a.principalId),
    );
    const provisionable = (u: TenantUser): boolean =>
      u.accountEnabled &&
      u.mail !== null &&
      u.userType === "Member" &&
      (directlyAssigned.has(u.id) || memberOfAssigned.has(u.id));
    const taken = new Set<string>();
    const pick = (test: (u: TenantUser) => boolean, what: string): TenantUser => {
      const user = tenant.users.find((u) => provisionable(u) && !taken.has(u.id) && test(u));
      if (!user) throw new Error(`the generated tenant has no user for: ${what}`);
      taken.add(user.id);
      return user;
    };
    const proGroup = assignedGroups.find((g) => g.displayName === "Klaxoon PRO");
    const [g1, g2] = assignedGroups.filter((g) => g !== proGroup);
    if (!proGroup || !g1 || !g2) throw new Error("the generated tenant needs three assigned security groups");
    pro = proGroup;
    // Only directly assigned and in no assigned group: unassigning takes them out of scope.
    unassigned = pick((u) => directlyAssigned.has(u.id) && !memberOfAssigned.has(u.id), "unassign");
    // A member of one plain assigned group and not the other: moved from g1 to g2, or back.
    const inOnlyOne = (u: TenantUser): boolean => g1.memberIds.includes(u.id) !== g2.memberIds.includes(u.id);
    mover = pick(inOnlyOne, "move between groups");
    [from, to] = g1.memberIds.includes(mover.id) ? [g1, g2] : [g2, g1];
    renamed = pick(() => true, "rename");
    disabled = pick(() => true, "disable");
    regiven = pick((u) => u.givenName !== newGivenName, "given name");

    const oldGroupName = pro.displayName;
    expected = [
      {
        action: "update",
        kind: "user",
        label: newUpn,
        changes: [{ path: "userName", from: renamed.userPrincipalName, to: newUpn }],
      },
      {
        action: "deactivate",
        kind: "user",
        label: disabled.userPrincipalName,
        reason: "disabled",
        changes: [{ path: "active", from: true, to: false }],
      },
      {
        action: "deactivate",
        kind: "user",
        label: unassigned.userPrincipalName,
        reason: "unassigned",
        changes: [{ path: "active", from: true, to: false }],
      },
      {
        action: "update",
        kind: "user",
        label: regiven.userPrincipalName,
        changes: [{ path: "name.givenName", from: regiven.givenName, to: newGivenName }],
      },
      { action: "removeMembers", kind: "group", label: from.displayName, members: [mover.userPrincipalName] },
      { action: "addMembers", kind: "group", label: to.displayName, members: [mover.userPrincipalName] },
      {
        action: "update",
        kind: "group",
        label: newGroupName,
        changes: [
          { path: "displayName", from: oldGroupName, to: newGroupName },
          { path: LICENSE, from: "true", to: "false" },
        ].sort((a, b) => a.path.localeCompare(b.path)),
      },
    ].sort(bySortKey);
  });
  afterAll(async () => env?.close());

  let baselineWarnings: PlanJson["warnings"] = [];

  it("provisions the tenant, with the PRO license on the Klaxoon PRO group", async () => {
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    for (const user of [renamed, disabled, unassigned, regiven, mover]) {
      expect(
        env.klaxoon.store.findUserByUserName(user.userPrincipalName ?? ""),
        user.userPrincipalName ?? "",
      ).toMatchObject({ active: true });
    }
    expect(env.klaxoon.store.countUsers()).toBeGreaterThanOrEqual(20);
    const proGroup = env.klaxoon.store.findGroupByDisplayName("Klaxoon PRO");
    expect(proGroup?.[KLAXOON_GROUP_EXTENSION_URN]).toMatchObject({ license: "true" });
    expect(env.klaxoon.store.findGroupByDisplayName(from.displayName)?.[KLAXOON_GROUP_EXTENSION_URN]).toMatchObject({
      license: "false",
    });

    // Converged: a dry run plans nothing (its warnings are the tenant's standing ones).
    const again = await env.runAgent(["sync", "--dry-run", "--output", "json"]);
    expect(again.code, again.stderr).toBe(0);
    const plan = JSON.parse(again.stdout) as PlanJson;
    expect(plan.operations).toEqual([]);
    expect(plan.held).toEqual([]);
    baselineWarnings = plan.warnings;
  });

  it("dry run: the JSON plan (stdout and --plan-file) lists exactly the changes made in Entra, and nothing is written", async () => {
    env.graph.admin.updateUser(renamed.id, { userPrincipalName: newUpn });
    env.graph.admin.disableUser(disabled.id);
    expect(env.graph.admin.unassign(unassigned.id)).toBeGreaterThan(0);
    env.graph.admin.updateUser(regiven.id, { givenName: newGivenName });
    env.graph.admin.removeMember(from.id, mover.id);
    env.graph.admin.addMember(to.id, mover.id);
    renameGroup(env, pro.id, newGroupName);

    env.klaxoon.requestLog.clear();
    const planFile = join(env.dir, "plan.json");
    const run = await env.runAgent(["sync", "--dry-run", "--output", "json", "--plan-file", planFile]);
    expect(run.code, run.stderr).toBe(0);

    const plan = JSON.parse(run.stdout) as PlanJson;
    expect(plan.version).toBe(PLAN_VERSION);
    expect(Number.isNaN(Date.parse(plan.createdAt))).toBe(false);
    expect(plan.operations.map(summarise).sort(bySortKey)).toEqual(expected);
    expect(plan.held).toEqual([]);
    expect(plan.guard).toEqual({ held: false, deactivations: 2, reason: null });
    expect(plan.counts).toEqual({
      "user.update": 2,
      "user.deactivate": 2,
      "group.update": 1,
      "group.removeMembers": 1,
      "group.addMembers": 1,
    });
    expect(plan.adoptions).toEqual([]);
    expect(plan.warnings).toEqual(baselineWarnings);
    // Every operation names both sides: these objects all exist in Klaxoon already.
    for (const op of plan.operations) {
      expect(op.object.targetId, op.object.label).toEqual(expect.any(String));
      for (const member of op.members ?? []) expect(member.targetId, member.label).toEqual(expect.any(String));
    }

    // The plan file holds the same plan, byte for byte.
    expect(await readFile(planFile, "utf8")).toBe(run.stdout);
    // Nothing reached Klaxoon but reads.
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
    expect(env.klaxoon.deactivations).toEqual([]);
  });

  it("the real cycle applies exactly those changes", async () => {
    env.klaxoon.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);

    const held = await listHeldUsers(env.klaxoon.url, env.klaxoon.token);
    const byName = new Map(held.map((u) => [u.userName.toLowerCase(), u]));
    expect(byName.has(renamed.userPrincipalName?.toLowerCase() ?? "")).toBe(false);
    expect(byName.get(newUpn)).toMatchObject({ active: true });
    expect(byName.get(disabled.userPrincipalName?.toLowerCase() ?? "")).toMatchObject({ active: false });
    expect(byName.get(unassigned.userPrincipalName?.toLowerCase() ?? "")).toMatchObject({ active: false });
    expect(byName.get(regiven.userPrincipalName?.toLowerCase() ?? "")?.raw["name"]).toMatchObject({
      givenName: newGivenName,
      familyName: regiven.surname,
    });
    expect(env.klaxoon.deactivations.map((d) => d.userName.toLowerCase()).sort()).toEqual(
      [disabled.userPrincipalName ?? "", unassigned.userPrincipalName ?? ""].map((n) => n.toLowerCase()).sort(),
    );
    expect(held.filter((u) => !u.active)).toHaveLength(2);

    const moverId = byName.get(mover.userPrincipalName?.toLowerCase() ?? "")?.id ?? "";
    const fromGroup = env.klaxoon.store.findGroupByDisplayName(from.displayName);
    const toGroup = env.klaxoon.store.findGroupByDisplayName(to.displayName);
    expect(env.klaxoon.store.memberIds(String(fromGroup?.["id"]))).not.toContain(moverId);
    expect(env.klaxoon.store.memberIds(String(toGroup?.["id"]))).toContain(moverId);

    expect(env.klaxoon.store.findGroupByDisplayName("Klaxoon PRO")).toBeUndefined();
    expect(env.klaxoon.store.findGroupByDisplayName(newGroupName)?.[KLAXOON_GROUP_EXTENSION_URN]).toMatchObject({
      license: "false",
    });
    expect(env.klaxoon.store.countGroups()).toBe(tenant.groups.filter((g) => g.securityEnabled).length);

    // One write per planned operation: 2 user updates, 2 deactivations, 1 group update, 2 member PATCHes.
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(7);
    expect(env.klaxoon.requestLog.count((e) => e.method === "POST" || e.method === "DELETE")).toBe(0);
  });

  it("one more cycle makes zero SCIM writes", async () => {
    env.klaxoon.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("No changes.");
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
  });
});

/** Renames a group in the emulated tenant, as an administrator would in Entra. */
function renameGroup(env: AgentEnvironment, groupId: string, displayName: string): void {
  const stored = env.graph.store.groups.get(groupId);
  if (!stored) throw new Error(`no group ${groupId}`);
  const { members, ...group } = stored;
  env.graph.admin.addGroup({ ...group, memberIds: [...members], displayName });
}
