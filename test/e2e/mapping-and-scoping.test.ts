import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { listHeldUsers } from "../support/scim-peek.js";

const MAPPINGS = `users:
  - { target: userName, direct: userPrincipalName, matchingPrecedence: 1, required: true }
  - { target: 'emails[type eq "work"].value', expression: 'ToLower([mail])', required: true }
  - { target: externalId, expression: 'Join(".", [department], [mailNickname])', required: true }
  - { target: name.givenName, expression: 'ToUpper(NormalizeDiacritics([givenName]))', required: true }
  - { target: name.familyName, direct: surname, default: "(none)", required: true }
  - { target: active, expression: 'Switch([accountEnabled], "False", "True", "True")' }
groupMembers: false
`;

const SCOPING = `scoping:
  users:
    - - { attribute: department, operator: EQUALS, value: Sales }
      - { attribute: jobTitle, operator: NOT EQUALS, value: Contractor }
    - - { attribute: userPrincipalName, operator: ENDS_WITH, value: "@partner.example" }
`;

describe("a custom mapping and a scoping filter from YAML", () => {
  let env: AgentEnvironment;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 3, users: 0, groups: 0 }) },
      mappingsYaml: MAPPINGS,
      extraConfig: SCOPING,
    });
    const people = [
      ["zoe", "Zoë", "Sales", "Engineer", "contoso.example"],
      ["jose", "José", "Sales", "Contractor", "contoso.example"],
      ["ana", "Ana", "Finance", "Analyst", "contoso.example"],
      ["lea", "Léa", "Marketing", "Analyst", "partner.example"],
      ["sam", "Sam", "sales", "Engineer", "contoso.example"],
    ] as const;
    for (const [nick, given, department, jobTitle, domain] of people) {
      const user = env.graph.admin.addUser({
        userPrincipalName: `${nick}@${domain}`,
        mail: `${nick.toUpperCase()}@${domain}`,
        mailNickname: nick,
        givenName: given,
        surname: null,
        department,
        jobTitle,
      });
      env.graph.admin.assign(user.id);
      ids[nick] = user.id;
    }
  });
  afterAll(async () => env.close());

  it("provisions only the users in scope, with the mapped values", async () => {
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    const held = await listHeldUsers(env.klaxoon.url, env.klaxoon.token);
    // Filter groups are OR-ed, clauses AND-ed, comparisons case-sensitive ("sales" is not "Sales").
    expect(held.map((u) => u.userName).sort()).toEqual(["lea@partner.example", "zoe@contoso.example"]);
    const zoe = held.find((u) => u.userName === "zoe@contoso.example")?.raw;
    expect(zoe).toMatchObject({
      externalId: "Sales.zoe",
      name: { givenName: "ZOE", familyName: "(none)" },
      emails: [expect.objectContaining({ type: "work", value: "zoe@contoso.example" })],
    });
  });

  it("deactivates a user who leaves scope, and provisions one who enters it", async () => {
    env.graph.admin.updateUser(ids["zoe"] ?? "", { department: "Finance" });
    env.graph.admin.updateUser(ids["ana"] ?? "", { department: "Sales" });
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/zoe@contoso\.example\s+\(outOfScope\)/);
    const held = await listHeldUsers(env.klaxoon.url, env.klaxoon.token);
    expect(
      held
        .filter((u) => u.active)
        .map((u) => u.userName)
        .sort(),
    ).toEqual(["ana@contoso.example", "lea@partner.example"]);
    expect(env.klaxoon.deactivations.map((d) => d.userName)).toEqual(["zoe@contoso.example"]);
  });
});
