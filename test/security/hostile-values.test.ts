import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import type { JsonObject } from "../emulators/klaxoon/index.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { runAgentInProcess } from "../support/in-process-agent.js";

/**
 * Graph data full of syntax: quotes, backslashes, newlines, control characters, very long
 * strings, URL and filter metacharacters, a guest's #EXT#, non-ASCII. It must reach Klaxoon as
 * data, byte for byte: never as SCIM filter syntax, never in a URL path.
 */
interface Hostile {
  readonly upn: string;
  readonly userName: string;
  readonly givenName: string;
  readonly surname: string;
  readonly nick: string;
}

const LONG = `${"Ω".repeat(1500)}${"x".repeat(2500)}`;
const HOSTILE: readonly Hostile[] = [
  {
    upn: `o'brien"q@contoso.example`,
    userName: `o'brien"q@contoso.example`,
    givenName: `Quote " and ' marks`,
    surname: `Back\\slash \\" end\\`,
    nick: `o'brien"q`,
  },
  {
    upn: "back\\slash@contoso.example",
    userName: "back\\slash@contoso.example",
    givenName: "Line\nbreak\r\nand\ttab",
    surname: "Ctrl\u0001\u001f\u007f\u2028end",
    nick: "back\\slash",
  },
  {
    upn: `" or userName pr or "x@contoso.example`,
    userName: `" or userName pr or "x@contoso.example`,
    givenName: "Zoë Ñúñez 山田 🎉",
    surname: LONG,
    nick: `" or "1" eq "1`,
  },
  {
    upn: "slash/../%2F?x=1&y#frag@contoso.example",
    userName: "slash/../%2F?x=1&y#frag@contoso.example",
    givenName: "${jndi:x} {{7*7}} <script>",
    surname: "'; DROP TABLE users; --",
    nick: "slash/..%2F",
  },
  {
    upn: "alias_fabrikam.example#EXT#@contoso.example",
    userName: "alias@fabrikam.example",
    givenName: "Guest",
    surname: "Külalis",
    nick: "alias_fabrikam.example#EXT#",
  },
];
const GROUP_NAME = `Team "A" \\ / ?#& ${"\u0007"}\nsecond line`;
const LOST = { upn: `lost "\\" \\\\ response@contoso.example`, nick: "lost" };

describe("hostile values in Graph data reach Klaxoon as data", () => {
  let env: AgentEnvironment;
  let processEnv: NodeJS.ProcessEnv;
  const sync = () => runAgentInProcess(["sync", "--config", env.configPath], processEnv);
  const userNamed = (userName: string): JsonObject[] =>
    [...env.klaxoon.store.users.values()].filter((u) => u["userName"] === userName);
  const writes = (): number => env.klaxoon.requestLog.count((r) => r.method !== "GET");

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 51, users: 0, groups: 0 }) },
      extraConfig: "log: { level: error }",
    });
    processEnv = { ...process.env, GRAPH_CLIENT_SECRET: env.graph.clientSecret };
    const group = env.graph.admin.addGroup({ displayName: GROUP_NAME });
    env.graph.admin.assign(group.id);
    for (const h of HOSTILE) {
      const user = env.graph.admin.addUser({
        userPrincipalName: h.upn,
        mail: h.upn,
        mailNickname: h.nick,
        givenName: h.givenName,
        surname: h.surname,
        displayName: `${h.givenName} ${h.surname}`,
        userType: h.upn.includes("#EXT#") ? "Guest" : "Member",
      });
      env.graph.admin.assign(user.id);
      env.graph.admin.addMember(group.id, user.id);
    }
  });
  afterAll(async () => env.close());

  it("creates every account with its values verbatim, and the group with its members", async () => {
    const run = await sync();
    expect(run.error).toBeNull();
    expect(run.code).toBe(EXIT.success);
    for (const h of HOSTILE) {
      const held = userNamed(h.userName);
      expect(held, h.userName).toHaveLength(1);
      expect(held[0]?.["name"]).toMatchObject({ givenName: h.givenName, familyName: h.surname });
      expect(held[0]?.["externalId"]).toBe(h.nick);
      expect(held[0]?.["emails"]).toEqual([expect.objectContaining({ type: "work", value: h.upn })]);
    }
    const groups = [...env.klaxoon.store.groups.values()];
    expect(groups.map((g) => g["displayName"])).toEqual([GROUP_NAME]);
    expect(env.klaxoon.store.countMembers(String(groups[0]?.["id"]))).toBe(HOSTILE.length);
  });

  it("finds them all again on the next cycle: no duplicates, no writes", async () => {
    const before = writes();
    const run = await sync();
    expect(run.code).toBe(EXIT.success);
    expect(run.stdout).toContain("No changes.");
    expect(writes()).toBe(before);
    expect(env.klaxoon.store.countUsers()).toBe(HOSTILE.length);
  });

  it("matches them by value when the agent has forgotten its links (state file gone)", async () => {
    await rm(env.statePath, { force: true });
    const before = env.klaxoon.requestLog.count((r) => r.method === "POST");
    const run = await sync();
    expect(run.code).toBe(EXIT.success);
    expect(env.klaxoon.requestLog.count((r) => r.method === "POST")).toBe(before);
    expect(env.klaxoon.store.countUsers()).toBe(HOSTILE.length);
    expect(env.klaxoon.store.countGroups()).toBe(1);
  });

  it("looks a hostile userName up with a correctly escaped filter after a lost create response", async () => {
    const user = env.graph.admin.addUser({
      userPrincipalName: LOST.upn,
      mail: LOST.upn,
      mailNickname: LOST.nick,
      givenName: "Lost",
      surname: "Response",
    });
    env.graph.admin.assign(user.id);
    env.klaxoon.faults.add({ method: "POST", path: "/Users", dropResponse: true, count: 1 });
    const run = await sync();
    env.klaxoon.faults.clear();
    expect(run.code).toBe(EXIT.success);
    expect(userNamed(LOST.upn)).toHaveLength(1);
    const filters = env.klaxoon.requestLog.entries.flatMap((r) => {
      const filter = new URLSearchParams(r.query).get("filter");
      return filter === null ? [] : [filter];
    });
    expect(filters).toContain(`userName eq ${JSON.stringify(LOST.upn)}`);
  });

  it("never puts a value in a URL path, and every filter is one well-formed comparison", () => {
    for (const request of env.klaxoon.requestLog.entries) {
      expect(request.path).toMatch(/^\/(Users|Groups|ServiceProviderConfig|Schemas|ResourceTypes)(\/[A-Za-z0-9-]+)?$/);
      const filter = new URLSearchParams(request.query).get("filter");
      if (filter !== null) expect(filter).toMatch(/^[A-Za-z.[\]" ]+ eq "(?:[^"\\\u0000-\u001f]|\\["\\/bfnrtu])*"$/);
    }
  });
});
