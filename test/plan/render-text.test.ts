import { describe, expect, it } from "vitest";
import { KLAXOON_LICENSE_PATH } from "../../src/model/index.js";
import { summarisePlan, summaryLine } from "../../src/plan/plan-summary.js";
import { renderPlanText } from "../../src/plan/render-text.js";
import { PLAN_VERSION, type Plan, type PlanOperation } from "../../src/plan/types.js";

const ref = (label: string) => ({ sourceId: `s-${label}`, targetId: `t-${label}`, label });

function plan(operations: readonly PlanOperation[], held: readonly PlanOperation[] = []): Plan {
  return {
    version: PLAN_VERSION,
    createdAt: "2026-12-07T06:00:00.000Z",
    operations,
    held,
    protected: [],
    adoptions: [],
    warnings: [],
    guard: { held: held.length > 0, deactivations: held.length, reason: held.length > 0 ? "too many" : null },
    counts: {},
  };
}

const creates = Array.from({ length: 169 }, (_, i): PlanOperation => {
  const label = `user${i}@contoso.example`;
  return {
    action: "create",
    kind: "user",
    object: { ...ref(label), targetId: null },
    attributes: { userName: label, "name.givenName": `Given ${i}`, active: true },
  };
});
const members = (n: number) => Array.from({ length: n }, (_, i) => ref(`member${i}@contoso.example`));

const demo = plan([
  ...creates,
  {
    action: "update",
    kind: "user",
    object: ref("bob@contoso.example"),
    changes: [{ path: "name.givenName", from: "Bob", to: "Robert" }],
  },
  {
    action: "reactivate",
    kind: "user",
    object: ref("cy@contoso.example"),
    changes: [{ path: "active", from: false, to: true }],
  },
  {
    action: "update",
    kind: "group",
    object: ref("Sales"),
    changes: [{ path: "displayName", from: "Sale", to: "Sales" }],
  },
  {
    action: "deactivate",
    kind: "user",
    object: ref("dan@contoso.example"),
    reason: "unassigned",
    changes: [{ path: "active", from: true, to: false }],
  },
  {
    action: "deactivate",
    kind: "user",
    object: ref("eve@contoso.example"),
    reason: "disabled",
    changes: [{ path: "active", from: true, to: false }],
  },
  {
    action: "create",
    kind: "group",
    object: { ...ref("Klaxoon PRO"), targetId: null },
    attributes: { displayName: "Klaxoon PRO", [KLAXOON_LICENSE_PATH]: "true" },
  },
  { action: "removeMembers", kind: "group", object: ref("Sales"), members: members(2) },
  { action: "addMembers", kind: "group", object: ref("Klaxoon PRO"), members: members(90) },
]);

describe("the plan as text", () => {
  it("ends with terraform's kind of summary line", () => {
    const text = renderPlanText(demo);
    expect(text.split("\n").at(-1)).toBe(
      "Plan: 169 to create, 3 to update, 2 to deactivate, 1 group to create, 92 member changes, 0 license changes.",
    );
  });

  it("counts a license flip apart, and says so in the singular", () => {
    const flip = plan([
      {
        action: "update",
        kind: "group",
        object: ref("Team"),
        changes: [{ path: KLAXOON_LICENSE_PATH, from: "false", to: "true" }],
      },
      { action: "addMembers", kind: "group", object: ref("Team"), members: members(1) },
    ]);
    expect(summaryLine(summarisePlan(flip))).toBe(
      "Plan: 0 to create, 1 to update, 0 to deactivate, 0 groups to create, 1 member change, 1 license change.",
    );
  });

  it("groups by action, one line per object with what changes on it", () => {
    const lines = renderPlanText(demo).split("\n");
    const titles = lines.filter((line) => /^\S.*\(\d+\):$/.test(line));
    expect(titles).toEqual([
      "Users to create (169):",
      "Users to update (1):",
      "Users to reactivate (1):",
      "Users to deactivate (2):",
      "Groups to create (1):",
      "Groups to update (1):",
      "Group members to remove (1):",
      "Group members to add (1):",
    ]);
    expect(lines).toContain('  + user0@contoso.example  givenName="Given 0" active=true');
    expect(lines).toContain('  ~ bob@contoso.example  name.givenName: "Bob" → "Robert"');
    expect(lines).toContain("  - dan@contoso.example  (unassigned)");
    expect(lines).toContain("  + Klaxoon PRO  license=true");
    // 169 creates + 1 + 1 + 2 + 1 + 1 + 1 + 1 object lines, 8 titles, the header and the summary.
    expect(lines.filter((line) => line.startsWith("  ")).length).toBe(177);
  });

  it("cuts each line to the terminal's width, and keeps lines whole in a pipe", () => {
    const narrow = renderPlanText(demo, { width: 60 }).split("\n");
    // Object lines are cut; the summary line never is.
    expect(Math.max(...narrow.filter((line) => line.startsWith("  ")).map((line) => [...line].length))).toBe(60);
    expect(narrow.at(-1)).toMatch(/^Plan: .*license changes\.$/);
    const added = narrow.find((line) => line.startsWith("  + Klaxoon PRO: 90 members"));
    expect(added).toMatch(/…$/);
    const whole = renderPlanText(demo).split("\n");
    expect(whole.find((line) => line.startsWith("  + Klaxoon PRO: 90 members"))).toMatch(
      /member9@contoso\.example, …$/,
    );
  });

  it("says no changes when there are none, and shows held deactivations", () => {
    expect(renderPlanText(plan([])).split("\n").at(-1)).toBe("No changes. Klaxoon matches Entra.");
    const held = renderPlanText(plan([], [demo.operations[172] as PlanOperation]));
    expect(held).toContain("Deletion guard HOLDS 1 deactivations: too many");
    expect(held).toContain("Held by the deletion guard: 1 deactivations.");
  });
});
