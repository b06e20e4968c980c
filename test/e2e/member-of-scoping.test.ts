import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { heldGroupNames } from "../support/klaxoon-groups.js";
import { listHeldUsers } from "../support/scim-peek.js";

/**
 * Scoping by group membership, which Entra's filters cannot express: `memberOf IS MEMBER OF
 * <group id>` (direct, or `transitive: true`) and `IS NOT MEMBER OF`. The groups named are not
 * assigned: the agent reads their members once per cycle (never per user), keeps them current
 * with delta rounds, and does not provision them as Klaxoon groups.
 *
 * Every user is assigned directly. Pilot ∋ ada, dan, Pilot wave 2;  Pilot wave 2 ∋ bob;
 * Leads ∋ cyd, Leads deputies;  Leads deputies ∋ eve;  Contractors ∋ dan.
 * Filter 1: transitive member of Pilot AND not a direct member of Contractors.
 * Filter 2: direct member of Leads.   In scope: ada, bob (through wave 2), cyd.
 */
describe("scoping users by group membership", () => {
  let env: AgentEnvironment;
  const ids: Record<string, string> = {};
  const upn = (nick: string) => `${nick}@contoso.example`;
  const readMode = (stderr: string) => /"mode":"(full|delta)"[^\n]*"msg":"read Entra"/.exec(stderr)?.[1];
  const activeUsers = async () =>
    (await listHeldUsers(env.klaxoon.url, env.klaxoon.token))
      .filter((u) => u.active)
      .map((u) => u.userName)
      .sort();
  const memberListings = () =>
    env.graph.requestLog
      .graphRequests()
      .filter((r) => /^\/v1\.0\/groups\/[^/]+\/members/.test(r.path))
      .map((r) => r.path.split("?")[0]);

  beforeAll(async () => {
    const tenant = generateTenant({ seed: 43, users: 0, groups: 0 });
    env = await startAgentEnvironment({ graph: { tenant } });
    for (const nick of ["ada", "bob", "cyd", "dan", "eve"]) {
      ids[nick] = env.graph.admin.addUser({
        userPrincipalName: upn(nick),
        mail: upn(nick),
        mailNickname: nick,
        givenName: nick,
        surname: "Test",
      }).id;
      env.graph.admin.assign(ids[nick] ?? "");
    }
    const group = (name: string, members: readonly string[]) =>
      env.graph.admin.addGroup({ displayName: name, memberIds: [...members] }).id;
    ids["wave2"] = group("Pilot wave 2", [ids["bob"] ?? ""]);
    ids["pilot"] = group("Pilot", [ids["ada"] ?? "", ids["dan"] ?? "", ids["wave2"]]);
    ids["deputies"] = group("Leads deputies", [ids["eve"] ?? ""]);
    ids["leads"] = group("Leads", [ids["cyd"] ?? "", ids["deputies"]]);
    ids["contractors"] = group("Contractors", [ids["dan"] ?? ""]);
    const scoping = `scoping:
  users:
    - - { attribute: memberOf, operator: IS MEMBER OF, value: "${ids["pilot"]}", transitive: true }
      - { attribute: memberOf, operator: IS NOT MEMBER OF, value: "${ids["contractors"]}" }
    - - { attribute: memberOf, operator: IS MEMBER OF, value: "${ids["leads"]}" }
`;
    const config = await readFile(env.configPath, "utf8");
    await writeFile(env.configPath, `${config}${scoping}`);
  });
  afterAll(async () => env.close());

  it("provisions exactly the users the membership clauses select, reading each group's members once", async () => {
    env.graph.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    expect(await activeUsers()).toEqual([upn("ada"), upn("bob"), upn("cyd")]);
    expect(heldGroupNames(env.klaxoon)).toEqual([]);
    // Pilot and its nested wave 2 (transitive), Contractors and Leads (direct): Leads deputies is not needed.
    const listed = memberListings();
    expect(listed.sort()).toEqual(
      [ids["contractors"], ids["leads"], ids["pilot"], ids["wave2"]]
        .map((id) => `/v1.0/groups/${id ?? ""}/members`)
        .sort(),
    );
  });

  it("a delta cycle follows membership changes of the groups named and of their nested groups", async () => {
    env.graph.admin.addMember(ids["wave2"] ?? "", ids["eve"] ?? "");
    env.graph.admin.removeMember(ids["contractors"] ?? "", ids["dan"] ?? "");
    env.graph.admin.removeMember(ids["pilot"] ?? "", ids["ada"] ?? "");
    env.graph.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    expect(readMode(run.stderr)).toBe("delta");
    expect(memberListings()).toEqual([]);
    expect(await activeUsers()).toEqual([upn("bob"), upn("cyd"), upn("dan"), upn("eve")]);
    expect(env.klaxoon.deactivations.map((d) => d.userName)).toEqual([upn("ada")]);
    expect(run.stdout).toMatch(/- ada@contoso\.example\s+\(outOfScope\)/);
  });

  it("explains the verdict of a membership clause when provisioning on demand", async () => {
    const run = await env.runAgent(["sync", "--user", upn("ada"), "--dry-run"]);
    expect(run.stdout).toContain(`not a member of group ${ids["pilot"] ?? ""}`);
  });

  it("a cycle fails, deactivating nobody, when a group a clause names no longer exists", async () => {
    env.graph.admin.deleteGroup(ids["leads"] ?? "");
    const run = await env.runAgent(["sync", "--full-read"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`group ${ids["leads"] ?? ""}, named by a scoping clause`);
    expect(await activeUsers()).toEqual([upn("bob"), upn("cyd"), upn("dan"), upn("eve")]);
    expect(env.klaxoon.deactivations.map((d) => d.userName)).toEqual([upn("ada")]);
  });
});
