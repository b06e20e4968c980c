import { afterEach, describe, expect, it } from "vitest";
import { KLAXOON_GROUP_EXTENSION, KLAXOON_LICENSE_PATH, type TargetGroup } from "../../src/model/index.js";
import { memberIds } from "../emulators/klaxoon/index.js";
import { startPair, type Pair } from "./support.js";

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

describe("SCIM client: groups", () => {
  let pair: Pair;
  afterEach(async () => pair.close());

  it('creates groups with license "true", "false" and unset, and reads the license back', async () => {
    pair = await startPair();
    for (const [name, license] of [
      ["PRO", "true"],
      ["Free", "false"],
      ["Default", null],
    ] as const) {
      const outcome = await pair.client.createGroup({ displayName: name, [KLAXOON_LICENSE_PATH]: license }, []);
      expect(outcome.ok, name).toBe(true);
    }
    const bodies = pair.emulator.requestLog.entries.map((e) => e.body);
    expect(bodies[0]).toEqual({
      schemas: [GROUP_SCHEMA, KLAXOON_GROUP_EXTENSION],
      displayName: "PRO",
      [KLAXOON_GROUP_EXTENSION]: { license: "true" },
    });
    expect(bodies[2]).toEqual({ schemas: [GROUP_SCHEMA], displayName: "Default" });
    const groups: TargetGroup[] = await drain(pair.client.listGroups(["displayName", KLAXOON_LICENSE_PATH]));
    expect(groups.map((g) => g.attributes)).toEqual([
      { displayName: "PRO", [KLAXOON_LICENSE_PATH]: "true" },
      { displayName: "Free", [KLAXOON_LICENSE_PATH]: "false" },
      { displayName: "Default" },
    ]);
  });

  it("leaves the extension URN out of schemas when told to (Entra's form)", async () => {
    pair = await startPair({ extensionSchemas: "forbidden" }, { extensionInSchemas: false });
    expect(await pair.client.createGroup({ displayName: "PRO", [KLAXOON_LICENSE_PATH]: "true" }, [])).toMatchObject({
      ok: true,
    });
    expect(pair.emulator.requestLog.entries[0]?.body).toMatchObject({ schemas: [GROUP_SCHEMA] });
  });

  it("renames a group and flips its license with PATCH", async () => {
    pair = await startPair();
    const created = await pair.client.createGroup({ displayName: "Team", [KLAXOON_LICENSE_PATH]: "false" }, []);
    if (!created.ok) throw new Error(created.message);
    const outcome = await pair.client.patchGroup(created.value.id, [
      { op: "replace", path: "displayName", value: "Team PRO" },
      { op: "replace", path: KLAXOON_LICENSE_PATH, value: "true" },
    ]);
    expect(outcome.ok).toBe(true);
    const [group] = await drain(pair.client.listGroups(["displayName", KLAXOON_LICENSE_PATH]));
    expect(group).toMatchObject({ displayName: "Team PRO", attributes: { [KLAXOON_LICENSE_PATH]: "true" } });
  });

  for (const dialect of ["rfc", "entra-legacy"] as const) {
    it(`adds 1,200 members then removes 600, in chunks (${dialect})`, async () => {
      pair = await startPair({ maxPageSize: 500 }, { patchDialect: dialect, memberChunkSize: 100 });
      const userIds = Array.from({ length: 1200 }, (_, i) => pair.emulator.store.seedUser({ userName: `m${i}` }));
      const created = await pair.client.createGroup({ displayName: "Everyone", [KLAXOON_LICENSE_PATH]: "false" }, []);
      if (!created.ok) throw new Error(created.message);
      const groupId = created.value.id;

      expect(await pair.client.changeMembers(groupId, { add: userIds, remove: [] })).toEqual({
        ok: true,
        value: undefined,
      });
      const removed = userIds.filter((_, i) => i % 2 === 0);
      expect(await pair.client.changeMembers(groupId, { add: [], remove: removed })).toEqual({
        ok: true,
        value: undefined,
      });

      const kept = userIds.filter((_, i) => i % 2 === 1);
      expect(memberIds(pair.emulator, groupId).sort()).toEqual([...kept].sort());
      const patches = pair.emulator.requestLog.entries.filter((e) => e.method === "PATCH");
      expect(patches).toHaveLength(12 + 6);
      const sizes = patches.map((e) => JSON.stringify(e.body).length);
      expect(Math.max(...sizes)).toBeLessThan(10_000);
      const firstRemove = patches[12]?.body as { Operations: Record<string, unknown>[] };
      if (dialect === "rfc") {
        expect(firstRemove.Operations).toHaveLength(100);
        expect(firstRemove.Operations[0]).toEqual({ op: "remove", path: `members[value eq "${removed[0]}"]` });
      } else {
        expect(firstRemove.Operations).toEqual([
          { op: "Remove", path: "members", value: removed.slice(0, 100).map((value) => ({ value })) },
        ]);
      }
      const [group] = await drain(pair.client.listGroups(["displayName"]));
      expect(group?.memberIds).toHaveLength(600);
    });
  }

  it("creates a group with its first chunk of members in the POST and the rest in PATCHes", async () => {
    pair = await startPair({}, { memberChunkSize: 100 });
    const userIds = Array.from({ length: 250 }, (_, i) => pair.emulator.store.seedUser({ userName: `p${i}` }));
    const created = await pair.client.createGroup({ displayName: "PRO", [KLAXOON_LICENSE_PATH]: "true" }, userIds);
    if (!created.ok) throw new Error(created.message);
    expect(created.value.members).toEqual({ ok: true, value: undefined });
    const writes = pair.emulator.requestLog.entries.filter((e) => e.method !== "GET");
    expect(writes.map((e) => e.method)).toEqual(["POST", "PATCH", "PATCH"]);
    expect((writes[0]?.body as { members: unknown[] } | undefined)?.members).toHaveLength(100);
    expect(memberIds(pair.emulator, created.value.id).sort()).toEqual([...userIds].sort());
  });

  it("sends a group's member removals and additions in one PatchOp", async () => {
    pair = await startPair();
    const [a, b, c] = ["a", "b", "c"].map((userName) => pair.emulator.store.seedUser({ userName })) as [
      string,
      string,
      string,
    ];
    const created = await pair.client.createGroup({ displayName: "Team" }, [a, b]);
    if (!created.ok) throw new Error(created.message);
    expect(await pair.client.changeMembers(created.value.id, { add: [c], remove: [a] })).toEqual({
      ok: true,
      value: undefined,
    });
    const patches = pair.emulator.requestLog.entries.filter((e) => e.method === "PATCH");
    expect(patches).toHaveLength(1);
    expect((patches[0]?.body as { Operations: unknown[] } | undefined)?.Operations).toEqual([
      { op: "remove", path: `members[value eq "${a}"]` },
      { op: "add", path: "members", value: [{ value: c }] },
    ]);
    expect(memberIds(pair.emulator, created.value.id).sort()).toEqual([b, c].sort());
  });
});
