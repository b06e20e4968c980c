import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

/**
 * Beyond Entra: Entra never lets a null flow, so a value emptied in Entra stays in the target.
 * Here a mapping clears the Klaxoon attribute (PATCH `remove`) when its source becomes null or
 * empty (`clearWhenEmpty`, default true); `clearWhenEmpty: false` keeps Entra's way.
 */
const MAPPINGS = `users:
  - { target: userName, direct: userPrincipalName, matchingPrecedence: 1, required: true }
  - { target: 'emails[type eq "work"].value', direct: mail, required: true }
  - { target: externalId, direct: mailNickname, required: true }
  - { target: name.givenName, direct: givenName, clearWhenEmpty: false, required: true }
  - { target: name.familyName, direct: surname, required: true }
  - { target: active, expression: 'Switch([accountEnabled], "False", "True", "True")' }
groupMembers: false
`;

describe("clearing values", () => {
  let env: AgentEnvironment;
  let ada = "";
  const held = (): Record<string, unknown> | undefined => env.klaxoon.store.findUserByUserName("ada@contoso.example");

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 51, users: 0, groups: 0 }) },
      mappingsYaml: MAPPINGS,
    });
    const user = env.graph.admin.addUser({
      userPrincipalName: "ada@contoso.example",
      mail: "ada@contoso.example",
      mailNickname: "ada",
      givenName: "Ada",
      surname: "Lovelace",
    });
    env.graph.admin.assign(user.id);
    ada = user.id;
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(held()?.["name"]).toEqual({ givenName: "Ada", familyName: "Lovelace" });
  });
  afterAll(async () => env.close());

  it("a source emptied in Entra clears the Klaxoon attribute with a PATCH remove (default), or leaves it (clearWhenEmpty: false)", async () => {
    env.graph.admin.updateUser(ada, { surname: null, givenName: "" });
    env.klaxoon.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);

    const patches = env.klaxoon.requestLog.entries.filter((e) => e.method === "PATCH");
    expect(patches).toHaveLength(1);
    expect(patches[0]?.body).toMatchObject({ Operations: [{ op: "remove", path: "name.familyName" }] });
    expect((patches[0]?.body as { Operations: unknown[] } | undefined)?.Operations).toHaveLength(1);
    const name = held()?.["name"] as Record<string, unknown> | undefined;
    expect(name?.["familyName"]).toBeUndefined();
    expect(name?.["givenName"]).toBe("Ada");
  });

  it("then nothing more to do: the cleared attribute stays cleared", async () => {
    env.klaxoon.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("No changes.");
    expect(env.klaxoon.requestLog.count((e) => e.method !== "GET")).toBe(0);
  });

  it("a value set again in Entra flows again", async () => {
    env.graph.admin.updateUser(ada, { surname: "King" });
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(held()?.["name"]).toMatchObject({ givenName: "Ada", familyName: "King" });
  });
});
