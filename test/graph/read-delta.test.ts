import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGraphDeltaReader, type DeltaChange, type DeltaRound } from "../support/graph-delta-reader.js";
import { startGraphEmulator, type GraphEmulator } from "../emulators/graph/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { secretCredential, settingsFor } from "./support/graph-world.js";

async function drain(round: DeltaRound): Promise<DeltaChange[]> {
  const out: DeltaChange[] = [];
  for await (const change of round.changes) out.push(change);
  return out;
}

describe("delta reads", () => {
  let emu: GraphEmulator;
  beforeEach(async () => {
    emu = await startGraphEmulator({ tenant: generateTenant({ seed: 21, users: 40, groups: 5 }), maxPageSize: 7 });
  });
  afterEach(async () => {
    await emu.close();
  });

  it("a first users round pages to the deltaLink; the next round carries updates and removals", async () => {
    const reader = createGraphDeltaReader(settingsFor(emu), secretCredential(emu));
    const first = reader.readDelta({ kind: "users", select: ["userPrincipalName", "accountEnabled"] });
    expect(() => first.deltaLink()).toThrow();
    const all = await drain(first);
    expect(all).toHaveLength(40);
    expect(Object.keys(all[0]?.attributes ?? {}).sort()).toEqual(["accountEnabled", "id", "userPrincipalName"]);
    const [a, b, c] = emu.store.listUsers();
    emu.admin.disableUser(a?.id ?? "");
    emu.admin.softDeleteUser(b?.id ?? "");
    emu.admin.hardDeleteUser(c?.id ?? "");
    const second = reader.readDelta({ deltaLink: first.deltaLink() });
    const changes = await drain(second);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: a?.id,
          removed: null,
          attributes: expect.objectContaining({ accountEnabled: false }),
        }),
        expect.objectContaining({ id: b?.id, removed: "changed" }),
        expect.objectContaining({ id: c?.id, removed: "deleted" }),
      ]),
    );
    expect(second.deltaLink()).not.toBe(first.deltaLink());
  });

  it("group rounds merge members@delta across pages into user ids added and removed", async () => {
    const reader = createGraphDeltaReader(settingsFor(emu), secretCredential(emu));
    const first = reader.readDelta({ kind: "groups", select: ["displayName", "members"] });
    const groups = await drain(first);
    expect(groups).toHaveLength(5);
    const group = emu.store.listGroups()[2];
    const userMembers = [...(group?.members ?? [])].filter((id) => emu.store.users.has(id));
    expect(new Set(groups.find((g) => g.id === group?.id)?.members?.added)).toEqual(new Set(userMembers));
    const newcomer = emu.admin.addUser();
    emu.admin.addMember(group?.id ?? "", newcomer.id);
    emu.admin.removeMember(group?.id ?? "", userMembers[0] ?? "");
    const next = await drain(reader.readDelta({ deltaLink: first.deltaLink() }));
    expect(next).toEqual([
      expect.objectContaining({ id: group?.id, members: { added: [newcomer.id], removed: [userMembers[0]] } }),
    ]);
  });

  it("an expired delta token throws GRAPH_DELTA_EXPIRED", async () => {
    const reader = createGraphDeltaReader(settingsFor(emu), secretCredential(emu));
    const first = reader.readDelta({ kind: "users", select: [] });
    await drain(first);
    emu.admin.expireDeltaTokens();
    await expect(drain(reader.readDelta({ deltaLink: first.deltaLink() }))).rejects.toMatchObject({
      name: "GraphReadError",
      code: "GRAPH_DELTA_EXPIRED",
      status: 410,
      graphCode: "syncStateNotFound",
    });
  });
});
