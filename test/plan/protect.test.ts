import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/plan/index.js";
import { compileProtection } from "../../src/scope/compile-protection.js";
import { desiredGroup, desiredUser, input, klaxoonUser, LICENSE } from "./support.js";

/** Issue 21, point 4: protected accounts are never deactivated, modified or removed from a group. */
const protection = compileProtection({
  userNames: ["breakglass-*@contoso.com"],
  klaxoonIds: ["K-ADMIN"],
  where: [[{ attribute: "name.familyName", operator: "EQUALS", value: "Operator" }]],
});

const summary = (ops: readonly { kind: string; action: string; object: { label: string } }[]) =>
  ops.map((op) => `${op.kind}.${op.action}:${op.object.label}`);

describe("protect: rules in the plan", () => {
  it("withholds the deactivation of a protected account (unassigned or disabled) with a warning naming the rule", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s3", "ops@contoso.com", { active: false }, "disabled")],
        actual: [
          klaxoonUser("k1", "BreakGlass-1@contoso.com"),
          klaxoonUser("k2", "leaver@contoso.com"),
          klaxoonUser("k3", "ops@contoso.com", { "name.familyName": "Operator" }),
        ],
        links: { s1: "k1", s2: "k2", s3: "k3" },
        protection,
      }),
    );
    expect(summary(plan.operations)).toEqual(["user.deactivate:leaver@contoso.com"]);
    expect(plan.protected.map((p) => [p.operation.object.label, p.rule])).toEqual([
      ["ops@contoso.com", 'protect.where: filter 1 matches (name.familyName EQUALS "Operator")'],
      ["BreakGlass-1@contoso.com", 'protect.userNames[0] "breakglass-*@contoso.com"'],
    ]);
    expect(plan.warnings.map((w) => [w.code, w.label])).toEqual([
      ["PROTECTED_ACCOUNT", "ops@contoso.com"],
      ["PROTECTED_ACCOUNT", "BreakGlass-1@contoso.com"],
    ]);
    expect(plan.warnings[1]?.message).toContain("would be deactivated (unassigned)");
    expect(plan.counts).toMatchObject({ "user.deactivate": 1, protected: 2 });
  });

  it("withholds updates of a protected account, by Klaxoon id too, and leaves the others' updates", () => {
    const plan = buildPlan(
      input({
        desired: [
          desiredUser("s1", "admin@contoso.com", { "name.givenName": "New" }),
          desiredUser("s2", "bob@contoso.com", { "name.givenName": "New" }),
        ],
        actual: [klaxoonUser("K-ADMIN", "admin@contoso.com"), klaxoonUser("k2", "bob@contoso.com")],
        links: { s1: "K-ADMIN", s2: "k2" },
        protection,
      }),
    );
    expect(summary(plan.operations)).toEqual(["user.update:bob@contoso.com"]);
    expect(plan.protected).toEqual([
      { operation: expect.objectContaining({ action: "update" }), rule: 'protect.klaxoonIds[0] "K-ADMIN"' },
    ]);
    // Only a withheld deactivation is a warning: an update kept back is what the rule is for.
    expect(plan.warnings).toEqual([]);
  });

  it("removes the other members from a group but keeps the protected one; additions are not protected", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s3", "new@contoso.com")],
        actual: [
          klaxoonUser("K-ADMIN", "admin@contoso.com"),
          klaxoonUser("k2", "bob@contoso.com"),
          klaxoonUser("k3", "new@contoso.com"),
        ],
        links: { s1: "K-ADMIN", s2: "k2", s3: "k3" },
        groups: [desiredGroup("g1", "Team", "PRO")],
        actualGroups: [
          {
            id: "kg1",
            displayName: "Team",
            attributes: { displayName: "Team", [LICENSE]: "PRO" },
            memberIds: ["K-ADMIN", "k2"],
          },
        ],
        groupLinks: { g1: "kg1" },
        members: { g1: ["s3"] },
        maxDeactivations: 0,
        allow: true,
        protection,
      }),
    );
    const removals = plan.operations.filter((op) => op.action === "removeMembers");
    expect(removals.flatMap((op) => (op.action === "removeMembers" ? op.members.map((m) => m.targetId) : []))).toEqual([
      "k2",
    ]);
    expect(summary(plan.operations)).toContain("group.addMembers:Team");
    expect(plan.protected.map((p) => [p.operation.action, p.rule])).toEqual([
      ["deactivate", 'protect.klaxoonIds[0] "K-ADMIN"'],
      ["removeMembers", 'protect.klaxoonIds[0] "K-ADMIN"'],
    ]);
  });

  it("counts no protected account in the deletion guard's queue", () => {
    const actual = [1, 2, 3].map((n) => klaxoonUser(`k${n}`, `breakglass-${n}@contoso.com`));
    const plan = buildPlan(
      input({
        desired: [desiredUser("s9", "someone@contoso.com")],
        actual: [...actual, klaxoonUser("k4", "leaver@contoso.com")],
        links: { s1: "k1", s2: "k2", s3: "k3", s4: "k4" },
        maxDeactivations: 1,
        protection,
      }),
    );
    expect(plan.guard).toMatchObject({ held: false, deactivations: 1 });
    expect(summary(plan.operations)).toContain("user.deactivate:leaver@contoso.com");
    expect(plan.protected).toHaveLength(3);
  });
});

describe("compileProtection", () => {
  it("matches userName globs case-insensitively and literally apart from * and ?", () => {
    const rules = compileProtection({ userNames: ["adm?n.*@contoso.com"], klaxoonIds: [], where: [] });
    const at = (userName: string) => rules.protectedBy(klaxoonUser("k", userName));
    expect(at("ADMIN.eu@contoso.com")).toBe('protect.userNames[0] "adm?n.*@contoso.com"');
    expect(at("admin.eu@contoso.com.evil")).toBeNull();
    expect(at("adminXeu@contoso.com")).toBeNull();
    expect(rules.rules).toBe(1);
  });

  it("without rules protects nothing", () => {
    const none = compileProtection({ userNames: [], klaxoonIds: [], where: [] });
    expect(none.rules).toBe(0);
    expect(none.protectedBy(klaxoonUser("k", "admin@contoso.com"))).toBeNull();
  });

  it("refuses a membership clause: it filters the Klaxoon account, which Entra's groups do not describe", () => {
    expect(() =>
      compileProtection({
        userNames: [],
        klaxoonIds: [],
        where: [[{ attribute: "memberOf", operator: "IS MEMBER OF", value: "00000000-0000-0000-0000-000000000001" }]],
      }),
    ).toThrow(/protect\.where\[0\]\[0\]/);
  });
});
