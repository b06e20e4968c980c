import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant, type TenantData, type TenantUser } from "../fixtures/tenant.js";
import { KLAXOON_GROUP_EXTENSION_URN } from "../emulators/klaxoon/index.js";
import { startAgentEnvironment, type AgentEnvironment, type AgentRun } from "../support/agent-environment.js";
import { isWrite, provisioningRecords } from "../support/provisioning-records.js";

/**
 * Changes made in Klaxoon by hand (drift): delta cycles trust what the agent last confirmed and
 * read only what changed in Entra; the periodic full reconciliation re-reads every managed
 * account and group, repairs attributes, active flags, members and the license, and marks those
 * repairs `drift` in the plan and the provisioning log. Entra never re-reads target memberships.
 */
describe("drift repair", () => {
  let env: AgentEnvironment;
  let tenant: TenantData;
  let edited: TenantUser, reactivated: TenantUser, dropped: TenantUser, renamedInEntra: TenantUser;
  let pro: { id: string; displayName: string };
  let stray = "";

  const user = (u: TenantUser) => {
    const held = env.klaxoon.store.findUserByUserName(String(u.userPrincipalName));
    if (!held) throw new Error(`${u.userPrincipalName} is not in Klaxoon`);
    return held;
  };
  const proGroup = () => {
    const group = env.klaxoon.store.findGroupByDisplayName(pro.displayName);
    if (!group) throw new Error("no PRO group in Klaxoon");
    return group;
  };
  const driftRecords = (run: AgentRun) =>
    provisioningRecords(run).filter((r) => (r as { drift?: boolean }).drift === true);
  // Listing everything: a collection GET without a filter (a filter looks one object up).
  const listings = () =>
    env.klaxoon.requestLog.count(
      (e) => e.method === "GET" && (e.path === "/Users" || e.path === "/Groups") && !e.query.includes("filter"),
    );
  const lookups = () =>
    env.klaxoon.requestLog.entries
      .filter((e) => e.method === "GET")
      .map((e) => `${e.path}?${decodeURIComponent(e.query)}`);

  beforeAll(async () => {
    tenant = generateTenant({
      seed: 31,
      users: 40,
      groups: 3,
      maxGroupSize: 10,
      assignedFraction: 0.3,
      assignedGroupFraction: 1,
    });
    const group = tenant.groups[2];
    if (!group) throw new Error("tenant has fewer than 3 groups");
    group.displayName = "Klaxoon PRO";
    pro = group;
    env = await startAgentEnvironment({ graph: { tenant } });

    const assigned = new Set(tenant.assignments.map((a) => a.principalId));
    const inAssignedGroup = new Set(
      tenant.groups.filter((g) => g.securityEnabled && assigned.has(g.id)).flatMap((g) => g.memberIds),
    );
    const provisionable = tenant.users.filter(
      (u) =>
        u.accountEnabled &&
        u.mail !== null &&
        u.userType === "Member" &&
        (assigned.has(u.id) || inAssignedGroup.has(u.id)),
    );
    const proMembers = provisionable.filter((u) => group.memberIds.includes(u.id));
    const others = provisionable.filter((u) => !group.memberIds.includes(u.id));
    const [first, a, b, c] = [proMembers[0], ...others];
    if (!first || !a || !b || !c) throw new Error("the generated tenant is too small for this test");
    [dropped, edited, reactivated, renamedInEntra] = [first, a, b, c];
  });
  afterAll(async () => env?.close());

  it("provisions the tenant (a full reconciliation: nothing to repair yet)", async () => {
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(driftRecords(run)).toEqual([]);
    expect(proGroup()[KLAXOON_GROUP_EXTENSION_URN]).toMatchObject({ license: "true" });
    expect(env.klaxoon.store.memberIds(String(proGroup()["id"]))).toContain(user(dropped)["id"]);
  });

  it("a delta cycle reads only what changed in Entra, so changes made in Klaxoon by hand stay until the full reconciliation", async () => {
    const editedUser = user(edited);
    editedUser["name"] = { ...(editedUser["name"] as object), givenName: "Mallory" };
    user(reactivated)["active"] = false;
    const group = proGroup();
    group["members"] = (group["members"] as { value: string }[]).filter((m) => m.value !== user(dropped)["id"]);
    group[KLAXOON_GROUP_EXTENSION_URN] = { license: "false" };
    stray = String(user(reactivated)["id"]);
    (group["members"] as { value: string }[]).push({ value: stray });
    env.klaxoon.requestLog.clear();

    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("No changes.");
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
    expect(listings(), lookups().join("\n")).toBe(0);
    // Nothing changed in Entra: not one account is looked up; only the probe proves Klaxoon answers.
    expect(lookups()).toEqual([expect.stringMatching(/^\/Users\?filter=userName eq "[0-9a-f-]{36}"/)]);
  });

  it("the full reconciliation repairs every hand change, marks each `drift`, and leaves an Entra change unmarked", async () => {
    env.graph.admin.updateUser(renamedInEntra.id, { surname: "Entra-Renamed" });
    env.klaxoon.requestLog.clear();

    const run = await env.runAgent(["sync", "--full-read"]);
    expect(run.code, run.stderr).toBe(0);
    expect(listings()).toBeGreaterThan(0);

    expect((user(edited)["name"] as { givenName: string }).givenName).toBe(edited.givenName);
    expect(user(reactivated)["active"]).toBe(true);
    expect(proGroup()[KLAXOON_GROUP_EXTENSION_URN]).toMatchObject({ license: "true" });
    const members = env.klaxoon.store.memberIds(String(proGroup()["id"]));
    expect(members).toContain(user(dropped)["id"]);
    expect(members).not.toContain(stray);
    expect((user(renamedInEntra)["name"] as { familyName: string }).familyName).toBe("Entra-Renamed");

    const drift = driftRecords(run)
      .map((r) => `${r.kind} ${r.action} ${r.object}`)
      .sort();
    expect(drift).toEqual(
      [
        `user update ${edited.userPrincipalName}`,
        `user reactivate ${reactivated.userPrincipalName}`,
        `group update ${pro.displayName}`,
        `group addMembers ${pro.displayName}`,
        `group removeMembers ${pro.displayName}`,
      ].sort(),
    );
    const entraChange = provisioningRecords(run).find((r) => r.object === renamedInEntra.userPrincipalName);
    expect(entraChange).toMatchObject({ action: "update", status: "success" });
    expect((entraChange as { drift?: boolean }).drift).toBeUndefined();
    expect(run.stdout).toMatch(/5 of these repair changes made in Klaxoon by hand \(drift\)\./);
    expect(run.stdout).toContain(
      `~ ${edited.userPrincipalName}  name.givenName: "Mallory" → ${JSON.stringify(edited.givenName)}  [drift: changed in Klaxoon, repaired]`,
    );
  });

  it("afterwards nothing is left to do, on a delta cycle or a full one", async () => {
    env.klaxoon.requestLog.clear();
    expect((await env.runAgent(["sync"])).stdout).toContain("No changes.");
    expect((await env.runAgent(["sync", "--full-read"])).stdout).toContain("No changes.");
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
  });
});
