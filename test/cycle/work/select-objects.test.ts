import { describe, expect, it } from "vitest";
import type { ApplyReport } from "../../../src/apply/apply-plan.js";
import type { OperationResult } from "../../../src/apply/operation-result.js";
import type { DesiredState } from "../../../src/cycle/desired-state.js";
import { DEPARTED, fingerprintDesired } from "../../../src/cycle/work/fingerprints.js";
import { recordFingerprints } from "../../../src/cycle/record/record-fingerprints.js";
import { allWork, changedWork, withGroupsOf } from "../../../src/cycle/work/select-objects.js";
import type { FlatAttributes } from "../../../src/model/index.js";
import type { DesiredObject } from "../../../src/plan/plan-resources.js";
import type { Plan, PlanOperation } from "../../../src/plan/types.js";

const user = (id: string, attributes: FlatAttributes = { active: true }): DesiredObject => ({
  resource: {
    kind: "user" as const,
    sourceId: id,
    label: `${id}@contoso`,
    attributes: { userName: `${id}@contoso`, ...attributes },
    createOnly: {},
    matchKeys: [{ path: "userName", value: `${id}@contoso` }],
  },
});
const group = (id: string): DesiredObject => ({
  resource: {
    kind: "group" as const,
    sourceId: id,
    label: id,
    attributes: { displayName: id },
    createOnly: {},
    matchKeys: [{ path: "displayName", value: id }],
  },
});

function desiredState(
  users: readonly DesiredObject[],
  groups: readonly DesiredObject[] = [],
  members: Record<string, string[]> = {},
  failed: string[] = [],
): DesiredState {
  return {
    users: {
      desired: [...users],
      outOfScope: new Set(),
      failed: failed.map((sourceId) => ({ sourceId, label: sourceId, reason: "bad expression" })),
    },
    groups: { desired: [...groups], outOfScope: new Set(), failed: [] },
    members: new Map(Object.entries(members)),
  };
}

const plannedIds = (work: { desired: readonly { resource: { sourceId: string } }[] }) =>
  work.desired.map((d) => d.resource.sourceId).sort();

describe("choosing a cycle's work from fingerprints", () => {
  const links = {
    users: { same: "t-same", changed: "t-changed", gone: "t-gone", departedBefore: "t-dep", broken: "t-broken" },
    groups: { g: "t-g" },
  };
  const before = desiredState([user("same"), user("changed"), user("new"), user("broken")], [group("g")], {
    g: ["same"],
  });
  const stored = fingerprintDesired(before, links.users);
  const storedRecord = {
    users: { ...Object.fromEntries(stored.users), departedBefore: DEPARTED },
    groups: Object.fromEntries(stored.groups),
  };
  // This cycle: "changed" changed; "new" still unconfirmed; "gone" left; "broken" fails to map.
  const now = desiredState(
    [user("same"), user("changed", { active: true, title: "CEO" }), user("new"), user("never", { active: false })],
    [group("g")],
    { g: ["same"] },
    ["broken"],
  );
  const fingerprints = fingerprintDesired(now, links.users);
  const storedWithNever = {
    ...storedRecord,
    users: { ...storedRecord.users, never: fingerprints.users.get("never")!, new: "stale" },
  };

  it("a delta cycle plans only what changed or was never confirmed; unchanged linked objects are reserved", () => {
    const work = changedWork({ desired: now, fingerprints, stored: storedWithNever, links });
    expect(plannedIds(work.users)).toEqual(["changed", "new"]);
    // "gone" left scope and is not yet known to be deactivated; "departedBefore" is; "broken" is left alone.
    expect([...work.users.links.keys()].sort()).toEqual(["changed", "gone"]);
    expect([...work.users.reserved.keys()]).toEqual(["same"]);
    expect(work.users.reserved.get("same")).toEqual({ sourceId: "same", targetId: "t-same", label: "same@contoso" });
    expect(plannedIds(work.groups)).toEqual([]);
    expect(work.members.size).toBe(0);
  });

  it("a group whose members change is planned, with its members", () => {
    const moved = desiredState(now.users.desired, [group("g")], { g: ["same", "changed"] });
    const work = changedWork({
      desired: moved,
      fingerprints: fingerprintDesired(moved, links.users),
      stored: storedWithNever,
      links,
    });
    expect(plannedIds(work.groups)).toEqual(["g"]);
    expect(work.members.get("g")).toEqual(["same", "changed"]);
  });

  it("a full reconciliation plans everything and tells unchanged objects apart (drift)", () => {
    const work = allWork({ desired: now, fingerprints, stored: storedWithNever, links });
    expect(plannedIds(work.users)).toEqual(["changed", "never", "new", "same"]);
    expect(work.users.links.size).toBe(5);
    expect(work.users.reserved.size).toBe(0);
    expect([...work.users.unchanged].sort()).toEqual(["departedBefore", "never", "same"]);
    expect([...work.groups.unchanged]).toEqual(["g"]);
  });

  it("a reactivated member brings its reserved groups back into the plan, as drift", () => {
    const work = changedWork({ desired: now, fingerprints, stored: storedWithNever, links });
    const widened = withGroupsOf(work, new Set(["same"]), now, storedWithNever.groups, fingerprints.groups);
    expect(plannedIds(widened.groups)).toEqual(["g"]);
    expect(widened.groups.links.get("g")).toBe("t-g");
    expect(widened.groups.reserved.size).toBe(0);
    expect([...widened.groups.unchanged]).toEqual(["g"]);
    expect(withGroupsOf(work, new Set(["changed"]), now, storedWithNever.groups, fingerprints.groups)).toBe(work);
  });
});

describe("recording fingerprints after a cycle", () => {
  const links = { users: { a: "t-a", b: "t-b", c: "t-c", left: "t-left", held: "t-held" }, groups: {} };
  const desired = desiredState([user("a"), user("b"), user("c"), user("unlinked", { active: false })]);
  const after = fingerprintDesired(desired, links.users);
  const op = (action: "update" | "deactivate", id: string): PlanOperation =>
    action === "update"
      ? {
          action,
          kind: "user",
          object: { sourceId: id, targetId: `t-${id}`, label: id },
          changes: [{ path: "title", from: null, to: "x" }],
        }
      : {
          action,
          kind: "user",
          object: { sourceId: id, targetId: `t-${id}`, label: id },
          reason: "unassigned",
          changes: [{ path: "active", from: true, to: false }],
        };
  const updateA = op("update", "a"),
    updateB = op("update", "b"),
    leave = op("deactivate", "left"),
    held = op("deactivate", "held");
  const plan: Plan = {
    version: 3,
    createdAt: "",
    operations: [updateA, updateB, leave],
    held: [held],
    protected: [],
    adoptions: [],
    warnings: [],
    guard: { held: false, deactivations: 2, reason: null },
    counts: {},
  };
  const result = (operation: PlanOperation, status: OperationResult["status"]): OperationResult => ({
    operation,
    status,
    httpStatus: null,
    message: null,
    targetId: operation.object.targetId,
  });
  const report: ApplyReport = {
    results: [result(updateA, "success"), result(updateB, "transient"), result(leave, "success")],
    created: [],
    succeeded: 2,
    failed: 1,
    deferred: [],
    escrows: {},
  };
  const work = {
    users: {
      desired: [user("a"), user("b"), user("unlinked", { active: false })],
      links: new Map([
        ["a", "t-a"],
        ["b", "t-b"],
        ["left", "t-left"],
        ["held", "t-held"],
      ]),
      reserved: new Map([["c", { sourceId: "c", targetId: "t-c", label: "c" }]]),
      unchanged: new Set<string>(),
    },
    groups: { desired: [], links: new Map(), reserved: new Map(), unchanged: new Set<string>() },
    members: new Map(),
  };
  const next = recordFingerprints(
    { users: { b: "old-b", c: "kept-c", forgotten: "x" }, groups: {} },
    { work, plan, report, after, links },
  );

  it("confirms what succeeded, forgets what failed or was held, keeps what was not planned", () => {
    // "unlinked" had nothing planned (an inactive user is never created): settled until it changes.
    expect(next.users).toEqual({
      a: after.users.get("a"),
      c: "kept-c",
      left: DEPARTED,
      unlinked: after.users.get("unlinked"),
    });
  });
});
