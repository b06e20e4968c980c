import { describe, expect, it } from "vitest";
import type { FlatAttributes, TargetUser } from "../../src/model/index.js";
import { buildPlan, digestValue } from "../../src/plan/index.js";
import type { DesiredObject } from "../../src/plan/plan-resources.js";
import type { DroppedAttributes } from "../../src/plan/dropped-attributes.js";
import type { PlanInput } from "../../src/plan/build-plan.js";

const FAMILY = "name.familyName";
const GIVEN = "name.givenName";

function desired(extra: FlatAttributes): DesiredObject {
  return {
    resource: {
      kind: "user",
      sourceId: "s1",
      label: "ada@contoso.com",
      attributes: { userName: "ada@contoso.com", active: true, [GIVEN]: "Ada", [FAMILY]: "Lovelace", ...extra },
      createOnly: {},
      matchKeys: [{ path: "userName", value: "ada@contoso.com" }],
    },
  };
}

/** What Klaxoon holds: everything but the family name, which it drops. */
const held: TargetUser = {
  id: "k1",
  userName: "ada@contoso.com",
  active: true,
  attributes: { userName: "ada@contoso.com", active: true, [GIVEN]: "Ada" },
};

function plan(options: {
  desired: DesiredObject;
  actual?: TargetUser[];
  dropped?: DroppedAttributes;
  unchanged?: boolean;
}): ReturnType<typeof buildPlan> {
  const input: PlanInput = {
    createdAt: "2026-01-01T00:00:00.000Z",
    users: {
      desired: [options.desired],
      failed: [],
      outOfScope: new Set(),
      links: new Map<string, string>(options.actual?.length === 0 ? [] : [["s1", "k1"]]),
      matchingPaths: ["userName"],
      requiredPaths: ["userName"],
      unchanged: new Set(options.unchanged ? ["s1"] : []),
    },
    groups: {
      desired: [],
      failed: [],
      outOfScope: new Set(),
      links: new Map(),
      matchingPaths: ["displayName"],
      requiredPaths: ["displayName"],
      members: null,
    },
    actualUsers: options.actual ?? [held],
    actualGroups: [],
    skipOutOfScopeDeletions: false,
    guard: { maxDeactivations: 500, allow: false },
    ...(options.dropped ? { droppedAttributes: { users: options.dropped, groups: {} } } : {}),
  };
  return buildPlan(input);
}

const droppedLovelace: DroppedAttributes = { s1: { [FAMILY]: digestValue(FAMILY, "Lovelace") } };

describe("buildPlan with attributes the target drops", () => {
  it("without a record, sends the missing value (and, on an unchanged object, calls it drift)", () => {
    const result = plan({ desired: desired({}), unchanged: true });
    expect(result.operations).toEqual([
      expect.objectContaining({
        action: "update",
        drift: true,
        changes: [{ path: FAMILY, from: null, to: "Lovelace" }],
      }),
    ]);
  });

  it("leaves out a path dropped with the value still desired: no operation, no drift", () => {
    const result = plan({ desired: desired({}), dropped: droppedLovelace, unchanged: true });
    expect(result.operations).toEqual([]);
    expect(result.counts).toEqual({});
    expect(result.warnings).toEqual([]);
  });

  it("sends the object's other changes without the dropped path", () => {
    const result = plan({ desired: desired({ [GIVEN]: "Augusta" }), dropped: droppedLovelace });
    expect(result.operations).toEqual([
      expect.objectContaining({ action: "update", changes: [{ path: GIVEN, from: "Ada", to: "Augusta" }] }),
    ]);
  });

  it("sends the path once more when its desired value changed since it was dropped", () => {
    const result = plan({ desired: desired({ [FAMILY]: "King" }), dropped: droppedLovelace, unchanged: false });
    expect(result.operations).toEqual([
      expect.objectContaining({ action: "update", changes: [{ path: FAMILY, from: null, to: "King" }] }),
    ]);
    expect(result.operations[0]?.drift).toBeUndefined();
  });

  it("compares under SCIM rules: a desired value differing only in case from the one dropped is the same value", () => {
    const dropped: DroppedAttributes = { s1: { userName: digestValue("userName", "ADA@contoso.com") } };
    const renamed = { ...held, attributes: { ...held.attributes, userName: "old@contoso.com", [FAMILY]: "Lovelace" } };
    expect(plan({ desired: desired({}), actual: [renamed], dropped }).operations).toEqual([]);
  });

  it("a record for one object or one path leaves the others alone", () => {
    const other: DroppedAttributes = {
      s2: { [FAMILY]: digestValue(FAMILY, "Lovelace") },
      s1: { [GIVEN]: digestValue(GIVEN, "Ada") },
    };
    expect(plan({ desired: desired({}), dropped: other }).operations).toHaveLength(1);
  });

  it("a create sends everything: a new account may keep what the old one dropped", () => {
    const result = plan({ desired: desired({}), actual: [], dropped: droppedLovelace });
    expect(result.operations).toEqual([
      expect.objectContaining({ action: "create", attributes: expect.objectContaining({ [FAMILY]: "Lovelace" }) }),
    ]);
  });

  it("a dropped removal is not sent again either", () => {
    const dropped: DroppedAttributes = { s1: { [GIVEN]: digestValue(GIVEN, null) } };
    expect(plan({ desired: desired({ [GIVEN]: null, [FAMILY]: null }), dropped }).operations).toEqual([]);
  });
});
