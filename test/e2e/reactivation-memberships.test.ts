import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { KLAXOON_GROUP_EXTENSION_URN } from "../emulators/klaxoon/index.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

/**
 * Beyond Entra: Entra never re-reads a group's members in the target, so a user whose
 * memberships Klaxoon dropped while deactivated comes back without them (and without the PRO
 * license the group gives). This agent re-reads the groups of every user it reactivates and puts
 * the memberships back.
 */
const SCOPING = `scoping:
  users:
    - - { attribute: department, operator: NOT EQUALS, value: Leavers }
`;

describe("memberships on reactivation", () => {
  let env: AgentEnvironment;
  const ids: Record<string, string> = {};
  let proId = "";

  const userId = (userName: string): string => String(env.klaxoon.store.findUserByUserName(userName)?.["id"]);
  const groupId = (displayName: string): string =>
    String(env.klaxoon.store.findGroupByDisplayName(displayName)?.["id"]);
  const isActive = (userName: string): boolean => env.klaxoon.store.findUserByUserName(userName)?.["active"] !== false;
  /** The Klaxoon groups holding the user, by name. */
  const groupsOf = (userName: string): string[] => {
    const id = userId(userName);
    return [...env.klaxoon.store.groups.values()]
      .filter((g) => env.klaxoon.store.memberIds(String(g["id"])).includes(id))
      .map((g) => String(g["displayName"]))
      .sort();
  };
  const holdsPro = (userName: string): boolean => {
    const id = userId(userName);
    return [...env.klaxoon.store.groups.values()].some((g) => {
      const extension = g[KLAXOON_GROUP_EXTENSION_URN] as { license?: string } | undefined;
      return extension?.license !== "false" && env.klaxoon.store.memberIds(String(g["id"])).includes(id);
    });
  };
  /** What Klaxoon may do on its side: a deactivated user loses its memberships (and so its license). */
  const klaxoonDropsMemberships = (userName: string): void => {
    const id = userId(userName);
    for (const group of env.klaxoon.store.groups.values()) {
      const members = group["members"];
      if (Array.isArray(members)) group["members"] = members.filter((m: { value?: string }) => m.value !== id);
    }
  };
  const sync = async (): Promise<string> => {
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 41, users: 0, groups: 0 }) },
      extraConfig: SCOPING,
    });
    for (const nick of ["ada", "bo", "cy", "dee", "eve"]) {
      const user = env.graph.admin.addUser({
        userPrincipalName: `${nick}@contoso.example`,
        mail: `${nick}@contoso.example`,
        mailNickname: nick,
        givenName: nick,
        surname: "Test",
        department: "Sales",
      });
      ids[nick] = user.id;
    }
    const pro = env.graph.admin.addGroup({
      displayName: "Klaxoon PRO",
      memberIds: [ids["ada"] ?? "", ids["bo"] ?? "", ids["cy"] ?? "", ids["eve"] ?? ""],
    });
    proId = pro.id;
    // Eve is assigned only through the PRO group.
    const everyone = env.graph.admin.addGroup({
      displayName: "Everyone",
      memberIds: ["ada", "bo", "cy", "dee"].map((nick) => ids[nick] ?? ""),
    });
    env.graph.admin.assign(pro.id);
    env.graph.admin.assign(everyone.id);
  });
  afterAll(async () => env.close());

  it("provisions the users into their groups, the PRO group with the PRO license", async () => {
    await sync();
    expect(env.klaxoon.store.findGroupByDisplayName("Klaxoon PRO")?.[KLAXOON_GROUP_EXTENSION_URN]).toMatchObject({
      license: "true",
    });
    for (const nick of ["ada", "bo", "cy"])
      expect(groupsOf(`${nick}@contoso.example`)).toEqual(["Everyone", "Klaxoon PRO"]);
    expect(groupsOf("dee@contoso.example")).toEqual(["Everyone"]);
    expect(groupsOf("eve@contoso.example")).toEqual(["Klaxoon PRO"]);
    expect(holdsPro("ada@contoso.example")).toBe(true);
  });

  it("deactivated four ways in one cycle: a disabled user keeps its memberships; soft-deleted (Graph reports it leaving its groups), out of scope or unassigned users lose them", async () => {
    env.graph.admin.disableUser(ids["ada"] ?? "");
    env.graph.admin.softDeleteUser(ids["bo"] ?? "");
    env.graph.admin.updateUser(ids["cy"] ?? "", { department: "Leavers" });
    env.graph.admin.removeMember(proId, ids["eve"] ?? "");
    const stdout = await sync();
    expect(stdout).toMatch(/ada@contoso\.example\s+\(disabled\)/);
    // Bo was assigned only through groups, which Graph's groups delta reports bo leaving.
    expect(stdout).toMatch(/bo@contoso\.example\s+\(unassigned\)/);
    expect(stdout).toMatch(/cy@contoso\.example\s+\(outOfScope\)/);
    expect(stdout).toMatch(/eve@contoso\.example\s+\(unassigned\)/);
    for (const nick of ["ada", "bo", "cy", "eve"]) expect(isActive(`${nick}@contoso.example`), nick).toBe(false);
    expect(groupsOf("ada@contoso.example")).toEqual(["Everyone", "Klaxoon PRO"]);
    // A user soft-deleted, out of scope or unassigned is no longer a member the agent provisions.
    expect(groupsOf("bo@contoso.example")).toEqual([]);
    expect(groupsOf("cy@contoso.example")).toEqual([]);
    expect(groupsOf("eve@contoso.example")).toEqual([]);
  });

  it("Klaxoon drops the deactivated users' memberships: the agent does not push them onto inactive accounts", async () => {
    klaxoonDropsMemberships("ada@contoso.example");
    klaxoonDropsMemberships("bo@contoso.example");
    env.klaxoon.requestLog.clear();
    const stdout = await sync();
    expect(stdout).toContain("No changes.");
    expect(env.klaxoon.requestLog.count((e) => e.method !== "GET")).toBe(0);
    expect(groupsOf("ada@contoso.example")).toEqual([]);
    expect(groupsOf("bo@contoso.example")).toEqual([]);
  });

  it("re-enabled, restored, back in scope, assigned again: active, back in every group, with the PRO license", async () => {
    env.graph.admin.updateUser(ids["ada"] ?? "", { accountEnabled: true });
    env.graph.admin.restoreUser(ids["bo"] ?? "");
    env.graph.admin.updateUser(ids["cy"] ?? "", { department: "Sales" });
    env.graph.admin.addMember(proId, ids["eve"] ?? "");
    await sync();
    for (const nick of ["ada", "bo", "cy"]) {
      expect(isActive(`${nick}@contoso.example`), nick).toBe(true);
      expect(groupsOf(`${nick}@contoso.example`), nick).toEqual(["Everyone", "Klaxoon PRO"]);
      expect(holdsPro(`${nick}@contoso.example`), nick).toBe(true);
    }
    expect(isActive("eve@contoso.example")).toBe(true);
    expect(groupsOf("eve@contoso.example")).toEqual(["Klaxoon PRO"]);
    expect(holdsPro("eve@contoso.example")).toBe(true);
    // The user who never left was not touched.
    expect(groupsOf("dee@contoso.example")).toEqual(["Everyone"]);
    expect(holdsPro("dee@contoso.example")).toBe(false);
    expect(env.klaxoon.store.memberIds(groupId("Klaxoon PRO"))).toHaveLength(4);
  });
});
