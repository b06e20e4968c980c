import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

/**
 * Beyond Entra: in Entra an expression such as `Switch([IsSoftDeleted], …)` can yield null when
 * its source did not change in the delta it processes. Here every expression sees the whole
 * current object (the last snapshot merged with the delta), so an attribute computed from
 * sources that did not change keeps its value.
 */
const MAPPINGS = `users:
  - { target: userName, direct: userPrincipalName, matchingPrecedence: 1, required: true }
  - { target: 'emails[type eq "work"].value', direct: mail, required: true }
  - { target: externalId, expression: 'Join(".", [department], [mailNickname])', required: true }
  - { target: name.givenName, direct: givenName, required: true }
  - { target: name.familyName, direct: surname, required: true }
  - target: active
    expression: 'Switch([accountEnabled], "False", "True", Switch([IsSoftDeleted], , "False", "True", "True", "False"))'
groupMembers: false
`;

describe("whole-object evaluation on delta cycles", () => {
  let env: AgentEnvironment;
  let ada = "";
  const held = (): Record<string, unknown> | undefined => env.klaxoon.store.findUserByUserName("ada@contoso.example");
  const readMode = (stderr: string): string | undefined =>
    /"mode":"(full|delta)"[^\n]*"msg":"read Entra"/.exec(stderr)?.[1];

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 52, users: 20, groups: 0, assignedFraction: 1 }) },
      mappingsYaml: MAPPINGS,
    });
    const user = env.graph.admin.addUser({
      userPrincipalName: "ada@contoso.example",
      mail: "ada@contoso.example",
      mailNickname: "ada",
      givenName: "Ada",
      surname: "Lovelace",
      department: "Sales",
    });
    env.graph.admin.assign(user.id);
    ada = user.id;
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readMode(run.stderr)).toBe("full");
    expect(held()).toMatchObject({ active: true, externalId: "Sales.ada" });
  });
  afterAll(async () => env.close());

  it("a delta changing only an unrelated attribute leaves the Switch([IsSoftDeleted], …) and Join(…) attributes intact", async () => {
    env.graph.admin.updateUser(ada, { givenName: "Augusta" });
    env.klaxoon.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readMode(run.stderr)).toBe("delta");

    const patches = env.klaxoon.requestLog.entries.filter((e) => e.method === "PATCH");
    expect(patches).toHaveLength(1);
    expect(
      (patches[0]?.body as { Operations: { path: string }[] } | undefined)?.Operations.map((op) => op.path),
    ).toEqual(["name.givenName"]);
    expect(held()).toMatchObject({
      active: true,
      externalId: "Sales.ada",
      name: { givenName: "Augusta", familyName: "Lovelace" },
    });
  });

  it("a delta changing one source of a two-source expression recomputes it with the other source's current value", async () => {
    env.graph.admin.updateUser(ada, { department: "Finance" });
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readMode(run.stderr)).toBe("delta");
    expect(held()).toMatchObject({ active: true, externalId: "Finance.ada" });
  });

  it("a soft delete seen in a delta still deactivates, and the restore reactivates", async () => {
    env.graph.admin.softDeleteUser(ada);
    expect((await env.runAgent(["sync"])).code).toBe(0);
    expect(held()?.["active"]).toBe(false);
    env.graph.admin.restoreUser(ada);
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readMode(run.stderr)).toBe("delta");
    expect(held()).toMatchObject({ active: true, externalId: "Finance.ada", name: { givenName: "Augusta" } });
  });
});
