import { describe, expect, it } from "vitest";
import type { MembershipLookup } from "../../src/scope/index.js";
import { compileScope } from "../../src/scope/compile-scope.js";
import type { ScopingClause } from "../../src/scope/types.js";

const SALES = "0b3c2f7e-5d4a-4c1b-9e8f-7a6b5c4d3e2f";
const OTHER = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";

/** Ada is a direct member of Sales; Bob only through a nested group; Eve of neither. */
const memberships: Record<string, { direct: string[]; transitive: string[] }> = {
  ada: { direct: [SALES], transitive: [SALES] },
  bob: { direct: [], transitive: [SALES] },
  eve: { direct: [OTHER], transitive: [OTHER] },
};
const lookup =
  (user: string): MembershipLookup =>
  (groupId, transitive) =>
    (transitive ? memberships[user]?.transitive : memberships[user]?.direct)?.includes(groupId) ?? false;

const memberOf = (operator: "IS MEMBER OF" | "IS NOT MEMBER OF", transitive?: boolean): ScopingClause =>
  transitive === undefined
    ? { attribute: "memberOf", operator, value: SALES }
    : { attribute: "memberOf", operator, value: SALES, transitive };

describe("membership clauses (memberOf IS MEMBER OF <group id>)", () => {
  it.each([
    ["IS MEMBER OF, direct by default: a direct member", memberOf("IS MEMBER OF"), "ada", true],
    ["IS MEMBER OF, direct: a member only through a nested group is not", memberOf("IS MEMBER OF"), "bob", false],
    ["IS MEMBER OF, transitive: a member through a nested group is", memberOf("IS MEMBER OF", true), "bob", true],
    ["IS MEMBER OF: a member of another group only", memberOf("IS MEMBER OF", true), "eve", false],
    ["IS NOT MEMBER OF, direct: a nested member counts as not a member", memberOf("IS NOT MEMBER OF"), "bob", true],
    ["IS NOT MEMBER OF, transitive: a nested member is a member", memberOf("IS NOT MEMBER OF", true), "bob", false],
    ["IS NOT MEMBER OF: a member of another group only", memberOf("IS NOT MEMBER OF"), "eve", true],
  ] as const)("%s", (_name, clause, user, expected) => {
    expect(compileScope([[clause]], "scoping.users").isInScope({}, lookup(user))).toBe(expected);
  });

  it("AND-s with attribute clauses and OR-s across filters, like any clause", () => {
    const scope = compileScope(
      [
        [memberOf("IS MEMBER OF", true), { attribute: "department", operator: "EQUALS", value: "Sales" }],
        [{ attribute: "userType", operator: "EQUALS", value: "Guest" }],
      ],
      "scoping.users",
    );
    expect(scope.isInScope({ department: "Sales" }, lookup("bob"))).toBe(true);
    expect(scope.isInScope({ department: "Finance" }, lookup("bob"))).toBe(false);
    expect(scope.isInScope({ userType: "Guest" }, lookup("eve"))).toBe(true);
    expect(scope.attributes).toEqual(["department", "userType"]);
  });

  it("without a lookup, the object is a member of no group", () => {
    expect(compileScope([[memberOf("IS MEMBER OF")]], "scoping.users").isInScope({})).toBe(false);
    expect(compileScope([[memberOf("IS NOT MEMBER OF")]], "scoping.users").isInScope({})).toBe(true);
  });

  it("lists each named group once per transitivity, ids in lower case, and no attribute to select", () => {
    const scope = compileScope(
      [
        [memberOf("IS MEMBER OF"), memberOf("IS NOT MEMBER OF", true)],
        [
          { ...memberOf("IS MEMBER OF"), value: SALES.toUpperCase() },
          { attribute: "memberOf", operator: "IS MEMBER OF", value: OTHER, transitive: false },
        ],
      ],
      "scoping.users",
    );
    expect(scope.membershipGroups).toEqual([
      { groupId: SALES, transitive: false },
      { groupId: SALES, transitive: true },
      { groupId: OTHER, transitive: false },
    ]);
    expect(scope.attributes).toEqual([]);
  });

  it("explains a failing membership clause for provision on demand", () => {
    const scope = compileScope([[memberOf("IS MEMBER OF")]], "scoping.users");
    expect(scope.explain({}, lookup("bob"))).toBe(
      `out of scope: filter 1, clause 1 (memberOf IS MEMBER OF "${SALES}") is false: not a direct member of group ${SALES}`,
    );
    expect(scope.explain({}, lookup("ada"))).toBe(`in scope: filter 1 matches (memberOf IS MEMBER OF "${SALES}")`);
    const negated = compileScope([[memberOf("IS NOT MEMBER OF", true)]], "scoping.users");
    expect(negated.explain({}, lookup("bob"))).toContain(`(transitive)) is false: a member of group ${SALES}`);
  });

  it("refuses membership clauses where groups are scoped", () => {
    expect(() => compileScope([[memberOf("IS MEMBER OF")]], "scoping.groups", { allowMembership: false })).toThrow(
      /scoping\.groups\[0\]\[0\]: operator "IS MEMBER OF" applies to users only/,
    );
  });
});
