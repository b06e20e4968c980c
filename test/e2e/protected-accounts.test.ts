import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { addPerson } from "../support/people.js";

/**
 * Issue 21, point 4: `protect:` rules keep break-glass and administrator accounts as they are
 * in Klaxoon, whatever Entra says: never deactivated, modified or removed from a group. The
 * plan shows them as protected; a withheld deactivation is a warning.
 */
const PROTECT = `protect:
  userNames: ["breakglass-*@contoso.example"]
  where:
    - - { attribute: name.familyName, operator: EQUALS, value: Operator }
`;

describe("protected accounts", () => {
  let env: AgentEnvironment;
  const ids: Record<string, string> = {};
  let teamId = "";

  const klaxoonUser = (nick: string) => env.klaxoon.store.findUserByUserName(`${nick}@contoso.example`);
  const isActive = (nick: string): boolean => klaxoonUser(nick)?.["active"] !== false;
  const inTeam = (nick: string): boolean => {
    const team = env.klaxoon.store.findGroupByDisplayName("Team");
    return env.klaxoon.store.memberIds(String(team?.["id"])).includes(String(klaxoonUser(nick)?.["id"]));
  };

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 21, users: 0, groups: 0 }) },
      extraConfig: PROTECT,
    });
    for (const [nick, surname] of [
      ["breakglass-1", "Glass"],
      ["ops", "Operator"],
      ["ann", "Plain"],
      ["bob", "Plain"],
    ] as const)
      ids[nick] = addPerson(env.graph.admin, nick, { surname }, { assign: false });
    const team = env.graph.admin.addGroup({ displayName: "Team", memberIds: Object.values(ids) });
    teamId = team.id;
    env.graph.admin.assign(team.id);
    for (const nick of ["breakglass-1", "ops"]) env.graph.admin.assign(ids[nick] ?? "");
    const first = await env.runAgent(["sync"]);
    expect(first.code, first.stderr).toBe(0);
    for (const nick of Object.keys(ids)) expect(inTeam(nick), nick).toBe(true);
  });
  afterAll(async () => env.close());

  it("holds against an unassignment and a disable: both stay active and in their group, the others change", async () => {
    // breakglass-1 loses its direct assignment and its group; ops is disabled; ann leaves the group.
    env.graph.admin.unassign(ids["breakglass-1"] ?? "");
    env.graph.admin.removeMember(teamId, ids["breakglass-1"] ?? "");
    env.graph.admin.disableUser(ids["ops"] ?? "");
    env.graph.admin.removeMember(teamId, ids["ann"] ?? "");
    env.klaxoon.requestLog.clear();

    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(isActive("breakglass-1")).toBe(true);
    expect(isActive("ops")).toBe(true);
    expect(inTeam("breakglass-1")).toBe(true);
    // ann, assigned only through the group, goes the usual way.
    expect(isActive("ann")).toBe(false);
    expect(inTeam("ann")).toBe(false);
    expect(inTeam("bob")).toBe(true);

    expect(run.stdout).toMatch(/Protected \(3\): left as they are/);
    expect(run.stdout).toContain(
      '- breakglass-1@contoso.example  (unassigned)  [protected: protect.userNames[0] "breakglass-*@contoso.example"]',
    );
    expect(run.stdout).toContain("- ops@contoso.example  (disabled)");
    expect(run.stdout).toContain('[protected: protect.where: filter 1 matches (name.familyName EQUALS "Operator")]');
    expect(run.stdout).toMatch(
      /\[PROTECTED_ACCOUNT\] user breakglass-1@contoso\.example: would be deactivated \(unassigned\)/,
    );
    expect(run.stdout).toMatch(/\[PROTECTED_ACCOUNT\] user ops@contoso\.example: would be deactivated \(disabled\)/);
    // No write touched a protected account.
    const protectedIds = ["breakglass-1", "ops"].map((nick) => String(klaxoonUser(nick)?.["id"]));
    const writes = env.klaxoon.requestLog.entries.filter((e) => e.method !== "GET");
    for (const write of writes)
      for (const id of protectedIds) expect(write.path + JSON.stringify(write.body ?? "")).not.toContain(id);
  });

  it("keeps them protected on the next cycles (planned again each time, never written) and in the JSON plan", async () => {
    env.klaxoon.requestLog.clear();
    const again = await env.runAgent(["sync"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Protected \(3\): left as they are/);
    expect(env.klaxoon.requestLog.count((e) => e.method !== "GET")).toBe(0);

    const json = await env.runAgent(["sync", "--dry-run", "--output", "json"]);
    const plan = JSON.parse(json.stdout) as {
      protected: { operation: { action: string; object: { label: string } }; rule: string }[];
    };
    expect(plan.protected.map((p) => `${p.operation.action}:${p.operation.object.label}`).sort()).toEqual([
      "deactivate:breakglass-1@contoso.example",
      "deactivate:ops@contoso.example",
      "removeMembers:Team",
    ]);
  });
});
