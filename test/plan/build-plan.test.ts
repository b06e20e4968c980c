import { describe, expect, it } from "vitest";
import type { MappedResource, TargetGroup } from "../../src/model/index.js";
import { buildPlan } from "../../src/plan/index.js";
import { desiredGroup, desiredUser, EMAIL, input, klaxoonUser, LICENSE } from "./support.js";

const summary = (plan: ReturnType<typeof buildPlan>) =>
  plan.operations.map((op) => `${op.kind}.${op.action}:${op.object.label}`);

describe("buildPlan, users", () => {
  it("creates a user Klaxoon does not hold", () => {
    const plan = buildPlan(input({ desired: [desiredUser("s1", "ada@contoso.com")] }));
    expect(summary(plan)).toEqual(["user.create:ada@contoso.com"]);
    expect(plan.operations[0]).toMatchObject({ attributes: { userName: "ada@contoso.com", active: true } });
  });

  it("plans nothing for an unchanged user, even when userName and e-mail differ only in case", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s1", "Ada@Contoso.com")],
        actual: [klaxoonUser("k1", "ada@contoso.com")],
        links: { s1: "k1" },
      }),
    );
    expect(plan.operations).toEqual([]);
  });

  it("turns a renamed UPN into a PATCH of the linked account, never a new account", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s1", "ada.lovelace@contoso.com")],
        actual: [klaxoonUser("k1", "ada@contoso.com")],
        links: { s1: "k1" },
      }),
    );
    expect(summary(plan)).toEqual(["user.update:ada.lovelace@contoso.com"]);
    expect(plan.operations[0]).toMatchObject({
      object: { targetId: "k1" },
      changes: [{ path: "userName", from: "ada@contoso.com", to: "ada.lovelace@contoso.com" }, { path: EMAIL }],
    });
  });

  it("adopts an existing account matched by userName and records the link", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s1", "ada@contoso.com", { "name.givenName": "Ada" })],
        actual: [klaxoonUser("k1", "ada@contoso.com")],
      }),
    );
    expect(plan.adoptions).toEqual([{ kind: "user", sourceId: "s1", targetId: "k1" }]);
    expect(summary(plan)).toEqual(["user.update:ada@contoso.com"]);
  });

  it("tries the second matching attribute when the first finds nothing, and renames the match", () => {
    const resource: MappedResource = {
      kind: "user",
      sourceId: "s1",
      label: "ada.l@contoso.com",
      attributes: { userName: "ada.l@contoso.com", externalId: "obj-1", active: true },
      createOnly: {},
      matchKeys: [
        { path: "userName", value: "ada.l@contoso.com" },
        { path: "externalId", value: "obj-1" },
      ],
    };
    const base = input({
      desired: [{ resource }],
      actual: [klaxoonUser("k1", "ada@contoso.com", { externalId: "obj-1" })],
    });
    const plan = buildPlan({ ...base, users: { ...base.users, matchingPaths: ["userName", "externalId"] } });
    expect(plan.adoptions).toEqual([{ kind: "user", sourceId: "s1", targetId: "k1" }]);
    expect(plan.operations).toMatchObject([
      { action: "update", changes: [{ path: "userName", from: "ada@contoso.com", to: "ada.l@contoso.com" }] },
    ]);
  });

  it.each([
    ["disabled", "disabled"],
    ["softDeleted", "softDeleted"],
  ] as const)("deactivates a user %s in Entra with that reason", (inactiveReason, reason) => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s1", "ada@contoso.com", { active: false }, inactiveReason)],
        actual: [klaxoonUser("k1", "ada@contoso.com")],
        links: { s1: "k1" },
      }),
    );
    expect(plan.operations).toMatchObject([
      { action: "deactivate", reason, changes: [{ path: "active", from: true, to: false }] },
    ]);
  });

  it("deactivates a managed user who is no longer assigned", () => {
    const plan = buildPlan(
      input({ desired: [], actual: [klaxoonUser("k1", "ada@contoso.com")], links: { s1: "k1" }, maxDeactivations: 5 }),
    );
    // An empty read with managed accounts is held by the guard, whatever the threshold.
    expect(plan.guard.held).toBe(true);
    const withOthers = buildPlan(
      input({
        desired: [desiredUser("s2", "bob@contoso.com")],
        actual: [klaxoonUser("k1", "ada@contoso.com"), klaxoonUser("k2", "bob@contoso.com")],
        links: { s1: "k1", s2: "k2" },
      }),
    );
    expect(withOthers.operations).toMatchObject([
      { action: "deactivate", reason: "unassigned", object: { targetId: "k1" } },
    ]);
  });

  it("deactivates a user who left scope, unless skipOutOfScopeDeletions", () => {
    const base = {
      desired: [desiredUser("s2", "bob@contoso.com")],
      actual: [klaxoonUser("k1", "ada@contoso.com"), klaxoonUser("k2", "bob@contoso.com")],
      links: { s1: "k1", s2: "k2" },
      outOfScope: ["s1"],
    };
    expect(buildPlan(input(base)).operations).toMatchObject([{ action: "deactivate", reason: "outOfScope" }]);
    expect(buildPlan(input({ ...base, skipOutOfScopeDeletions: true })).operations).toEqual([]);
  });

  it("reactivates a restored user", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s1", "ada@contoso.com")],
        actual: [klaxoonUser("k1", "ada@contoso.com", { active: false })],
        links: { s1: "k1" },
      }),
    );
    expect(plan.operations).toMatchObject([
      { action: "reactivate", changes: [{ path: "active", from: false, to: true }] },
    ]);
  });

  it("provisions neither of two Entra users mapping to one userName, and warns", () => {
    const plan = buildPlan(
      input({ desired: [desiredUser("s1", "dup@contoso.com"), desiredUser("s2", "DUP@contoso.com")] }),
    );
    expect(plan.operations).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toEqual(["DUPLICATE_SOURCE_KEY", "DUPLICATE_SOURCE_KEY"]);
  });

  it("leaves an unmanaged Klaxoon account alone and says so", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s1", "ada@contoso.com")],
        actual: [klaxoonUser("k1", "ada@contoso.com"), klaxoonUser("k9", "local-admin@contoso.com")],
        links: { s1: "k1" },
      }),
    );
    expect(plan.operations).toEqual([]);
    expect(plan.warnings).toMatchObject([{ code: "UNMANAGED_ACCOUNT", label: "local-admin@contoso.com" }]);
  });

  it("does not deactivate an account whose mapping failed this cycle", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s2", "bob@contoso.com")],
        failed: ["s1"],
        actual: [klaxoonUser("k1", "ada@contoso.com"), klaxoonUser("k2", "bob@contoso.com")],
        links: { s1: "k1", s2: "k2" },
      }),
    );
    expect(plan.operations).toEqual([]);
    expect(plan.warnings).toMatchObject([
      { code: "MAPPING_FAILED", label: "s1", message: expect.stringContaining("IIF condition is null") },
    ]);
  });

  it("does not create a user whose required attribute maps to null", () => {
    const plan = buildPlan(input({ desired: [desiredUser("s1", "ada@contoso.com", { [EMAIL]: null })] }));
    expect(plan.operations).toEqual([]);
    expect(plan.warnings).toMatchObject([{ code: "REQUIRED_ATTRIBUTE_NULL" }]);
  });

  it("clears a target attribute whose source became empty", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s1", "ada@contoso.com", { "name.givenName": null })],
        actual: [klaxoonUser("k1", "ada@contoso.com", { "name.givenName": "Ada" })],
        links: { s1: "k1" },
      }),
    );
    expect(plan.operations).toMatchObject([
      { action: "update", changes: [{ path: "name.givenName", from: "Ada", to: null }] },
    ]);
  });
});

describe("buildPlan, deletion guard", () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => klaxoonUser(`k${i}`, `u${i}@contoso.com`));
  const links = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, `k${i}`]));

  it("holds deactivations above the threshold and applies the rest", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("new", "new@contoso.com")],
        actual: many(4),
        links: links(4),
        maxDeactivations: 3,
      }),
    );
    expect(plan.guard).toMatchObject({ held: true, deactivations: 4 });
    expect(summary(plan)).toEqual(["user.create:new@contoso.com"]);
    expect(plan.held).toHaveLength(4);
  });

  it("lets an administrator allow them for one run", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("new", "new@contoso.com")],
        actual: many(4),
        links: links(4),
        maxDeactivations: 3,
        allow: true,
      }),
    );
    expect(plan.guard.held).toBe(false);
    expect(plan.operations.filter((op) => op.action === "deactivate")).toHaveLength(4);
  });
});

describe("buildPlan, groups", () => {
  const group = (id: string, displayName: string, license: string, memberIds: string[]): TargetGroup => ({
    id,
    displayName,
    memberIds,
    attributes: { displayName, [LICENSE]: license },
  });

  it("creates a group after its users and adds members by reference", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s1", "ada@contoso.com")],
        groups: [desiredGroup("g1", "Klaxoon PRO", "true")],
        members: { g1: ["s1"] },
      }),
    );
    expect(summary(plan)).toEqual([
      "user.create:ada@contoso.com",
      "group.create:Klaxoon PRO",
      "group.addMembers:Klaxoon PRO",
    ]);
    expect(plan.operations[2]).toMatchObject({ members: [{ sourceId: "s1", targetId: null }] });
  });

  it("flips a license and moves members: removals before additions", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s1", "ada@contoso.com"), desiredUser("s2", "bob@contoso.com")],
        actual: [klaxoonUser("k1", "ada@contoso.com"), klaxoonUser("k2", "bob@contoso.com")],
        links: { s1: "k1", s2: "k2" },
        groups: [desiredGroup("g1", "Klaxoon PRO", "false")],
        actualGroups: [group("kg1", "Klaxoon PRO", "true", ["k1"])],
        groupLinks: { g1: "kg1" },
        members: { g1: ["s2"] },
      }),
    );
    expect(summary(plan)).toEqual([
      "group.update:Klaxoon PRO",
      "group.removeMembers:Klaxoon PRO",
      "group.addMembers:Klaxoon PRO",
    ]);
    expect(plan.operations[0]).toMatchObject({ changes: [{ path: LICENSE, from: "true", to: "false" }] });
    expect(plan.operations[1]).toMatchObject({ members: [{ targetId: "k1", label: "ada@contoso.com" }] });
    expect(plan.operations[2]).toMatchObject({ members: [{ targetId: "k2" }] });
  });

  it("plans nothing when groups and members already match", () => {
    const plan = buildPlan(
      input({
        desired: [desiredUser("s1", "ada@contoso.com")],
        actual: [klaxoonUser("k1", "ada@contoso.com")],
        links: { s1: "k1" },
        groups: [desiredGroup("g1", "Everyone", "false")],
        actualGroups: [group("kg1", "Everyone", "false", ["k1"])],
        groupLinks: { g1: "kg1" },
        members: { g1: ["s1"] },
      }),
    );
    expect(plan.operations).toEqual([]);
  });

  it("keeps an inactive user in its groups but does not add it back; the reactivation does", () => {
    const world = (active: boolean) =>
      input({
        desired: [
          desiredUser("s1", "ada@contoso.com", { active }, active ? undefined : "disabled"),
          desiredUser("s2", "bob@contoso.com", { active: false }, "disabled"),
        ],
        actual: [
          klaxoonUser("k1", "ada@contoso.com", { active: false }),
          klaxoonUser("k2", "bob@contoso.com", { active: false }),
        ],
        links: { s1: "k1", s2: "k2" },
        groups: [desiredGroup("g1", "Klaxoon PRO", "true")],
        // Klaxoon dropped Ada's membership when she was deactivated; Bob's is still there.
        actualGroups: [group("kg1", "Klaxoon PRO", "true", ["k2"])],
        groupLinks: { g1: "kg1" },
        members: { g1: ["s1", "s2"] },
      });
    expect(buildPlan(world(false)).operations).toEqual([]);
    const reactivated = buildPlan(world(true));
    expect(summary(reactivated)).toEqual(["user.reactivate:ada@contoso.com", "group.addMembers:Klaxoon PRO"]);
    expect(reactivated.operations[1]).toMatchObject({ members: [{ sourceId: "s1", targetId: "k1" }] });
  });
});
