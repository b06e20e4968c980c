import { describe, expect, it } from "vitest";
import { expandGroup, type GroupMembers } from "../../src/graph/membership/expand-groups.js";

const members = (entries: Record<string, { users?: string[]; groups?: string[] }>): Map<string, GroupMembers> =>
  new Map(Object.entries(entries).map(([id, m]) => [id, { userIds: m.users ?? [], groupIds: m.groups ?? [] }]));

describe("expanding nested groups over members already read", () => {
  it("depth 0 gives the direct user members only, without walking or warning", () => {
    const walk = expandGroup("a", members({ a: { users: ["u1"], groups: ["b"] }, b: { users: ["u2"] } }), 0);
    expect(walk).toMatchObject({ userIds: ["u1"], unread: [], tooDeep: [] });
    expect([...walk.visited]).toEqual(["a"]);
  });

  it("collects users of nested groups, direct members first, each user once", () => {
    const walk = expandGroup(
      "a",
      members({
        a: { users: ["u1", "u2"], groups: ["b", "c"] },
        b: { users: ["u2", "u3"] },
        c: { users: ["u4"], groups: ["b"] },
      }),
      5,
    );
    expect(walk.userIds).toEqual(["u1", "u2", "u3", "u4"]);
    expect([...walk.visited].sort()).toEqual(["a", "b", "c"]);
  });

  it("ends on a cycle (A ∋ B ∋ A) and on a group that holds itself", () => {
    const walk = expandGroup(
      "a",
      members({ a: { users: ["u1"], groups: ["b", "a"] }, b: { users: ["u2"], groups: ["a"] } }),
      20,
    );
    expect(walk.userIds).toEqual(["u1", "u2"]);
    expect(walk.tooDeep).toEqual([]);
  });

  it("stops at maxDepth and names each group left out with the group holding it, once", () => {
    const chain = members({
      a: { groups: ["b"] },
      b: { users: ["u1"], groups: ["c"] },
      c: { users: ["u2"], groups: ["d"] },
      d: { users: ["u3"] },
    });
    expect(expandGroup("a", chain, 2)).toMatchObject({
      userIds: ["u1", "u2"],
      tooDeep: [{ groupId: "d", parentId: "c" }],
    });
    expect(expandGroup("a", chain, 3)).toMatchObject({ userIds: ["u1", "u2", "u3"], tooDeep: [] });
    const twice = members({
      a: { groups: ["b", "c"] },
      b: { groups: ["d"] },
      c: { groups: ["d"] },
      d: { users: ["u9"] },
    });
    expect(expandGroup("a", twice, 1).tooDeep).toEqual([{ groupId: "d", parentId: "b" }]);
  });

  it("reports groups within the depth whose members are not read yet, and none beyond it", () => {
    const walk = expandGroup("a", members({ a: { users: ["u1"], groups: ["b", "c"] }, c: { groups: ["e"] } }), 1);
    expect(walk.userIds).toEqual(["u1"]);
    expect(walk.unread).toEqual(["b"]);
    expect(walk.tooDeep).toEqual([{ groupId: "e", parentId: "c" }]);
    expect(expandGroup("x", new Map(), 3).unread).toEqual(["x"]);
  });
});
