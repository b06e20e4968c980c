import { describe, expect, it } from "vitest";
import { assembleSnapshot, indexAssignments, type ScopedGroup } from "../../src/graph/read/scope-snapshot.js";
import type { AppRoleAssignment, DirectoryUser } from "../../src/model/index.js";

const sp = { id: "sp", appId: "app", displayName: "Klaxoon", appRoles: [] };
const user = (id: string): DirectoryUser => ({ id, attributes: { id }, softDeleted: false });
const group = (id: string, members: string[]): ScopedGroup => ({ id, attributes: { id }, memberUserIds: members });
const grant = (principalId: string, principalType: "User" | "Group", appRoleId: string): AppRoleAssignment => ({
  principalId,
  principalType,
  appRoleId,
});

describe("the snapshot's assignments per user", () => {
  const direct = grant("u1", "User", "r-direct");
  const viaA = grant("gA", "Group", "r-a");
  const viaB = grant("gB", "Group", "r-b");
  const index = indexAssignments([viaA, direct, viaB]);
  const users = new Map(["u1", "u2", "u3", "u4"].map((id) => [id, user(id)]));
  const snapshot = assembleSnapshot(
    sp,
    index,
    [group("gA", ["u1", "u2", "u3", "gone"]), group("gB", ["u2", "u3", "u1"])],
    users,
  );

  it("lists direct assignments first, then each group's in group order", () => {
    expect(snapshot.userAssignments.get("u1")).toEqual([direct, viaA, viaB]);
    expect(snapshot.userAssignments.get("u2")).toEqual([viaA, viaB]);
    expect(snapshot.userAssignments.has("u4")).toBe(false);
    expect(snapshot.userAssignments.has("gone")).toBe(false);
  });

  it("shares one frozen list between users with the same assignments (one list per user was ~9 MB at 100,000 users)", () => {
    const [u2, u3] = [snapshot.userAssignments.get("u2"), snapshot.userAssignments.get("u3")];
    expect(u2).toBe(u3);
    expect(Object.isFrozen(u2)).toBe(true);
    expect(snapshot.userAssignments.get("u1")).not.toBe(u2);
  });
});
