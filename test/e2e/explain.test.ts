import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Explanation } from "../../src/cycle/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import type { StoredUser } from "../emulators/graph/tenant-store.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { addPerson } from "../support/people.js";

/**
 * Issue 21, point 1: `explain --user X` says, read-only, why a user is provisioned as it is:
 * how it is in scope, each clause with the value it compared, each mapping with its inputs and
 * result beside what Klaxoon holds, and the action with its reason.
 */
const CONFIG = `scoping:
  users:
    - - { attribute: department, operator: EQUALS, value: Sales }
      - { attribute: accountEnabled, operator: IS TRUE }
protect:
  userNames: ["boss@contoso.example"]
`;

describe("explain", () => {
  let env: AgentEnvironment;
  const ids: Record<string, string> = {};

  const explain = async (...args: string[]) => env.runAgent(["explain", ...args]);
  const json = async (...args: string[]): Promise<Explanation> => {
    const run = await explain(...args, "--output", "json");
    return JSON.parse(run.stdout) as Explanation;
  };

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 12, users: 0, groups: 0 }) },
      extraConfig: CONFIG,
    });
    const add = (nick: string, department: string, extra: Partial<StoredUser> = {}, assign = true): string => {
      ids[nick] = addPerson(env.graph.admin, nick, { department, ...extra }, { assign });
      return ids[nick];
    };
    add("ada", "Sales");
    add("otto", "Finance");
    add("boss", "Sales");
    // No mail: the work e-mail, a required Klaxoon attribute, maps to null.
    add("nomail", "Sales", { mail: null });
    const team = env.graph.admin.addGroup({ displayName: "Sales team", memberIds: [add("gus", "Sales", {}, false)] });
    env.graph.admin.assign(team.id);
    const first = await env.runAgent(["sync"]);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(async () => env.close());

  it("an in-scope user: its assignment, each clause with its value, each mapping beside Klaxoon's value, no action", async () => {
    env.graph.admin.updateUser(ids["ada"] ?? "", { givenName: "Adah" });
    env.klaxoon.requestLog.clear();
    const run = await explain("--user", "ada@contoso.example");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("assigned directly");
    expect(run.stdout).toContain('true   department EQUALS "Sales"  (value: "Sales")');
    expect(run.stdout).toContain('true   accountEnabled IS TRUE  (value: "True")');
    expect(run.stdout).toMatch(
      /name\.givenName \[required\] ← \[givenName\]\n\s+\[givenName\]="Adah" → "Adah" \| "ada"/,
    );
    expect(run.stdout).toContain("Action: update");
    expect(run.stdout).toContain('name.givenName: "ada" → "Adah"');
    // Read-only: nothing was written, the change is still to make.
    expect(env.klaxoon.requestLog.count((e) => e.method !== "GET")).toBe(0);
    expect(env.klaxoon.store.findUserByUserName("ada@contoso.example")?.["name"]).toMatchObject({ givenName: "ada" });
  });

  it("a user assigned through a group", async () => {
    const answer = await json("--user", ids["gus"] ?? "");
    expect(answer.assignment).toEqual({ direct: false, throughGroups: ["Sales team"], all: false });
    expect(answer.verdict.action).toBe("none");
  });

  it("an out-of-scope user: the failing clause with the value it compared, never provisioned", async () => {
    const run = await explain("--user", "otto@contoso.example");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('false  department EQUALS "Sales"  (value: "Finance")');
    expect(run.stdout).toContain("=> out of scope");
    expect(run.stdout).toContain("Action: none");
    expect(run.stdout).toContain("out of scope and never provisioned");
    const answer = await json("--user", "otto@contoso.example");
    expect(answer.scope?.inScope).toBe(false);
    expect(answer.mappings).toEqual([]);
  });

  it("a skipped user: the required attribute that maps to null", async () => {
    const answer = await json("--user", "nomail@contoso.example");
    expect(answer.verdict.action).toBe("skipped");
    expect(answer.verdict.reasons.join("\n")).toMatch(
      /REQUIRED_ATTRIBUTE_NULL: not created: required emails\[type eq "work"\]\.value maps to null/,
    );
    expect(answer.mappings.find((m) => m.target === 'emails[type eq "work"].value')?.result).toEqual({
      kind: "value",
      value: null,
    });
  });

  it("a protected user that left scope: the deactivation withheld, and the rule", async () => {
    env.graph.admin.updateUser(ids["boss"] ?? "", { department: "Board" });
    const run = await explain("--user", "boss@contoso.example");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Action: skipped");
    expect(run.stdout).toContain('protected: deactivate withheld by protect.userNames[0] "boss@contoso.example"');
  });

  it("an unknown user: a precise answer and exit 6", async () => {
    const run = await explain("--user", "nobody@contoso.example");
    expect(run.code).toBe(6);
    expect(run.stdout).toContain('Not found: no user "nobody@contoso.example" among the users assigned to the app');
  });
});
