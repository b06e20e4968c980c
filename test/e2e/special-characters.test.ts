import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eqFilter } from "../../src/scim/resources/filter.js";
import { generateTenant } from "../fixtures/tenant.js";
import { parseKlaxoonFilter } from "../emulators/klaxoon/filter.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

/**
 * Beyond Entra: Entra documents that special characters in a matching value break matching.
 * Here every matching attribute (userName, the work e-mail, externalId, a group's displayName) carries
 * quotes, backslashes, non-ASCII, guest `#EXT#` names, spaces and URL-special characters, and
 * matching still finds each account exactly once: from Klaxoon's listing when the state file is
 * gone, and through an RFC 7644 filter when a create must be recovered.
 */
const MAPPINGS = `users:
  - { target: userName, direct: userPrincipalName, matchingPrecedence: 1, required: true }
  - { target: 'emails[type eq "work"].value', direct: mail, matchingPrecedence: 2, required: true }
  - { target: externalId, direct: mailNickname, matchingPrecedence: 3, required: true }
  - { target: name.givenName, direct: givenName, required: true }
  - { target: name.familyName, direct: surname, required: true }
  - target: active
    expression: 'Switch([accountEnabled], "False", "True", Switch([IsSoftDeleted], , "False", "True", "True", "False"))'
groups:
  - { target: displayName, direct: displayName, matchingPrecedence: 1 }
  - { target: externalId, direct: objectId }
  - target: urn:ietf:params:scim:schemas:extension:klaxoon:2.0:Group:license
    expression: 'Switch([displayName], "false", "Klaxoon PRO", "true")'
groupMembers: true
`;

/** Entra UPN → the userName Klaxoon must hold (guests stripped as Entra does). */
const USERS: readonly (readonly [string, string])[] = [
  ['o"brien@contoso.example', 'o"brien@contoso.example'],
  ["back\\slash\\\\twice@contoso.example", "back\\slash\\\\twice@contoso.example"],
  ["rené.straße@contoso.example", "rené.straße@contoso.example"],
  ["漢字@contoso.example", "漢字@contoso.example"],
  ["emoji😀@contoso.example", "emoji😀@contoso.example"],
  ["ann.o'neil_partner.example#EXT#@contoso.onmicrosoft.com", "ann.o'neil@partner.example"],
  ["first last@contoso.example", "first last@contoso.example"],
  ["a+b&c%d/e?f=g@contoso.example", "a+b&c%d/e?f=g@contoso.example"],
  ['x" or userName pr "@contoso.example', 'x" or userName pr "@contoso.example'],
];

const GROUPS = [
  'Sales "EMEA"',
  "R&D \\ Ops",
  "Équipe Straße 漢字 😀",
  "50% / off + more?",
  "#EXT# guests",
  "Klaxoon PRO",
];

describe("special characters in every matching attribute", () => {
  let env: AgentEnvironment;
  const ids = new Map<string, string>();
  const writes = (): number => env.klaxoon.requestLog.count((e) => e.method !== "GET");
  const sync = async (): Promise<string> => {
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };
  const heldUserNames = (): string[] => [...env.klaxoon.store.users.values()].map((u) => String(u["userName"])).sort();
  const heldGroupNames = (): string[] =>
    [...env.klaxoon.store.groups.values()].map((g) => String(g["displayName"])).sort();
  /** Looks a value up over HTTP with the agent's own filter builder, as a SCIM client would. */
  const lookUp = async (
    resource: "Users" | "Groups",
    path: string,
    value: string,
  ): Promise<Record<string, unknown>[]> => {
    const query = new URLSearchParams({ filter: eqFilter(path, value) });
    const response = await fetch(`${env.klaxoon.url}/${resource}?${query.toString()}`, {
      headers: { authorization: `Bearer ${env.klaxoon.token}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { Resources?: Record<string, unknown>[] }).Resources ?? [];
  };

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 77, users: 0, groups: 0 }) },
      mappingsYaml: MAPPINGS,
    });
    USERS.forEach(([upn], i) => {
      const mail = upn.includes("#EXT#") ? `guest${i}.é"\\@partner.example` : upn.replace("@", `.mail${i}@`);
      const user = env.graph.admin.addUser({
        userPrincipalName: upn,
        mail,
        mailNickname: `nick ${i} "é\\漢😀"`,
        givenName: `Given ${i}`,
        surname: "Straße",
      });
      ids.set(upn, user.id);
    });
    for (const name of GROUPS) {
      const group = env.graph.admin.addGroup({ displayName: name, memberIds: [...ids.values()] });
      env.graph.admin.assign(group.id);
    }
  });
  afterAll(async () => env.close());

  it("creates every user and group with the values as they are", async () => {
    await sync();
    expect(heldUserNames()).toEqual(USERS.map(([, userName]) => userName).sort());
    expect(heldGroupNames()).toEqual([...GROUPS].sort());
    for (const group of env.klaxoon.store.groups.values())
      expect(env.klaxoon.store.memberIds(String(group["id"]))).toHaveLength(USERS.length);
  });

  it("without the state file, matches every object again: no create, no duplicate, no write", async () => {
    await rm(env.statePath, { force: true });
    env.klaxoon.requestLog.clear();
    const stdout = await sync();
    expect(stdout).toContain("No changes.");
    expect(writes()).toBe(0);
    expect(env.klaxoon.store.countUsers()).toBe(USERS.length);
    expect(env.klaxoon.store.countGroups()).toBe(GROUPS.length);
  });

  it("matches on the second matching attribute (the work e-mail) when the userName changed", async () => {
    await rm(env.statePath, { force: true });
    const [upn] = USERS[0] ?? ["", ""];
    const renamed = 'o"brien.renamed\\é@contoso.example';
    env.graph.admin.updateUser(ids.get(upn) ?? "", { userPrincipalName: renamed });
    env.klaxoon.requestLog.clear();
    await sync();
    expect(env.klaxoon.requestLog.count((e) => e.method === "POST")).toBe(0);
    expect(env.klaxoon.requestLog.count((e) => e.method === "PATCH")).toBe(1);
    expect(env.klaxoon.store.findUserByUserName(renamed)).toBeDefined();
    expect(env.klaxoon.store.countUsers()).toBe(USERS.length);
  });

  it("matches on the third matching attribute (externalId) when both userName and e-mail changed", async () => {
    await rm(env.statePath, { force: true });
    const [upn] = USERS[6] ?? ["", ""];
    const renamed = "first.renamed+x@contoso.example";
    env.graph.admin.updateUser(ids.get(upn) ?? "", {
      userPrincipalName: renamed,
      mail: "first.renamed@contoso.example",
    });
    env.klaxoon.requestLog.clear();
    await sync();
    expect(env.klaxoon.requestLog.count((e) => e.method === "POST")).toBe(0);
    expect(env.klaxoon.requestLog.count((e) => e.method === "PATCH")).toBe(1);
    expect(env.klaxoon.store.findUserByUserName(renamed)?.["externalId"]).toBe('nick 6 "é\\漢😀"');
    expect(env.klaxoon.store.countUsers()).toBe(USERS.length);
  });

  it("a create whose response is lost is recovered through a filter escaped per RFC 7644", async () => {
    const upn = 'late "quote" \\ 漢字 😀 +&%/@contoso.example';
    const user = env.graph.admin.addUser({
      userPrincipalName: upn,
      mail: "late@contoso.example",
      mailNickname: "late",
      givenName: "Late",
      surname: "Comer",
    });
    env.graph.admin.assign(user.id);
    env.klaxoon.faults.add({ method: "POST", path: "/Users", dropResponse: true, count: 1 });
    env.klaxoon.requestLog.clear();
    await sync();
    env.klaxoon.faults.clear();

    // The lookup that recovers the lost create comes after the POST (a delta cycle may look the
    // new user up before creating it, too).
    const entries = env.klaxoon.requestLog.entries;
    const post = entries.findIndex((e) => e.method === "POST" && e.path === "/Users");
    const lookups = entries
      .slice(post + 1)
      .filter((e) => e.method === "GET" && e.path === "/Users" && e.query.includes("filter="));
    expect(lookups).toHaveLength(1);
    const filter = new URLSearchParams(lookups[0]?.query ?? "").get("filter") ?? "";
    expect(filter).toBe(`userName eq "late \\"quote\\" \\\\ 漢字 😀 +&%/@contoso.example"`);
    // The emulator reads the escaped literal back to the very value.
    expect(parseKlaxoonFilter(filter, "Users")).toEqual([{ userName: ["eq", upn.toLowerCase()] }]);
    expect(env.klaxoon.store.countUsers()).toBe(USERS.length + 1);
    expect(env.klaxoon.store.findUserByUserName(upn)).toBeDefined();
  });

  it("every held value is found exactly once by an eq filter over HTTP", async () => {
    for (const user of env.klaxoon.store.users.values()) {
      const userName = String(user["userName"]);
      const found = await lookUp("Users", "userName", userName);
      expect(
        found.map((u) => u["userName"]),
        userName,
      ).toEqual([userName]);
      const mail = (user["emails"] as { value: string }[] | undefined)?.[0]?.value ?? "";
      expect(
        (await lookUp("Users", 'emails[type eq "work"].value', mail)).map((u) => u["id"]),
        mail,
      ).toEqual([user["id"]]);
    }
    for (const name of GROUPS)
      expect(
        (await lookUp("Groups", "displayName", name)).map((g) => g["displayName"]),
        name,
      ).toEqual([name]);
    // Other JSON escapes a client may send (\uXXXX, \/) decode to the same value.
    const escaped = new URLSearchParams({ filter: 'userName eq "ren\\u00e9.stra\\u00dfe@contoso.example"' });
    const response = await fetch(`${env.klaxoon.url}/Users?${escaped.toString()}`, {
      headers: { authorization: `Bearer ${env.klaxoon.token}` },
    });
    expect(((await response.json()) as { Resources: { userName: string }[] }).Resources.map((u) => u.userName)).toEqual(
      ["rené.straße@contoso.example"],
    );
    const slash = new URLSearchParams({ filter: 'displayName eq "50% \\/ off + more?"' });
    const groups = await fetch(`${env.klaxoon.url}/Groups?${slash.toString()}`, {
      headers: { authorization: `Bearer ${env.klaxoon.token}` },
    });
    expect(
      ((await groups.json()) as { Resources: { displayName: string }[] }).Resources.map((g) => g.displayName),
    ).toEqual(["50% / off + more?"]);
  });
});
