import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DirectoryCheckpoint, IncrementalReadRequest } from "../../src/cycle/index.js";
import { createIncrementalDirectoryReader, type GraphSettings } from "../../src/graph/index.js";
import { createGraphDirectoryReader } from "../support/graph-directory-reader.js";
import type { DirectorySnapshot } from "../../src/model/index.js";
import { startGraphEmulator, type GraphEmulator } from "../emulators/graph/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { assignedRequest, memoryLogger, recordingSleep, secretCredential, settingsFor } from "./support/graph-world.js";
import { viewOf } from "./support/incremental-view.js";

/** Nested groups and groups named by membership clauses, read by the Graph adapter (full and delta). */
describe("nested groups and membership groups in the snapshot", () => {
  let emu: GraphEmulator;
  const user = (nick: string) =>
    emu.admin.addUser({ userPrincipalName: `${nick}@contoso.example`, mailNickname: nick }).id;
  beforeEach(async () => {
    emu = await startGraphEmulator({ tenant: generateTenant({ seed: 8, users: 0, groups: 0 }), maxPageSize: 2 });
  });
  afterEach(async () => {
    await emu.close();
  });

  const request = (checkpoint: DirectoryCheckpoint | null): IncrementalReadRequest => ({
    ...assignedRequest(emu),
    checkpoint,
    forceFull: false,
  });
  const incremental = (extra: Partial<GraphSettings>, logger = memoryLogger()) =>
    createIncrementalDirectoryReader(settingsFor(emu, extra), secretCredential(emu), logger, recordingSleep());
  const full = (extra: Partial<GraphSettings>) =>
    createGraphDirectoryReader(settingsFor(emu, extra), secretCredential(emu)).readSnapshot(assignedRequest(emu));
  const members = (snapshot: DirectorySnapshot, groupId: string) =>
    [...(snapshot.groups.get(groupId)?.memberUserIds ?? [])].sort();
  const membership = (snapshot: DirectorySnapshot, groupId: string) => {
    const m = snapshot.memberships?.get(groupId);
    return { direct: [...(m?.direct ?? [])].sort(), transitive: [...(m?.transitive ?? [])].sort() };
  };

  it("expands nested groups of an assigned group through a cycle, down to maxDepth, warning about deeper ones", async () => {
    const [u1, u2, u3, u4] = [user("u1"), user("u2"), user("u3"), user("u4")];
    const d = emu.admin.addGroup({ displayName: "D", memberIds: [u4] });
    const c = emu.admin.addGroup({ displayName: "C", memberIds: [u3, d.id] });
    const b = emu.admin.addGroup({ displayName: "B", memberIds: [u2, c.id] });
    const a = emu.admin.addGroup({ displayName: "A", memberIds: [u1, b.id] });
    emu.admin.addMember(b.id, a.id);
    emu.admin.assign(a.id);

    expect(members(await full({}), a.id)).toEqual([u1]);
    const logger = memoryLogger();
    const read = await incremental({ nestedGroups: { expand: true, maxDepth: 2 } }, logger).read(request(null));
    expect(members(read.snapshot, a.id)).toEqual([u1, u2, u3].sort());
    expect([...read.snapshot.users.keys()].sort()).toEqual([u1, u2, u3].sort());
    expect([...read.snapshot.groups.keys()]).toEqual([a.id]);
    expect(read.snapshot.userAssignments.get(u3)).toEqual([
      expect.objectContaining({ principalType: "Group", principalId: a.id }),
    ]);
    const warnings = logger.lines.filter((l) => l.level === "warn");
    expect(warnings).toEqual([
      expect.objectContaining({ obj: expect.objectContaining({ groupId: d.id, parentGroupId: c.id, maxDepth: 2 }) }),
    ]);
  });

  it("a delta round picks up members added to and removed from a nested group, and a newly nested group", async () => {
    const [u1, u2, u3, u4] = [user("u1"), user("u2"), user("u3"), user("u4")];
    const b = emu.admin.addGroup({ displayName: "B", memberIds: [u2] });
    const a = emu.admin.addGroup({ displayName: "A", memberIds: [u1, b.id] });
    emu.admin.assign(a.id);
    const settings = { nestedGroups: { expand: true, maxDepth: 5 } };
    const first = await incremental(settings).read(request(null));
    expect(members(first.snapshot, a.id)).toEqual([u1, u2].sort());

    emu.admin.addMember(b.id, u3);
    emu.admin.removeMember(b.id, u2);
    const c = emu.admin.addGroup({ displayName: "C", memberIds: [u4] });
    emu.admin.addMember(b.id, c.id);
    const second = await incremental(settings).read(request(first.checkpoint));
    expect(second.mode).toBe("delta");
    expect(members(second.snapshot, a.id)).toEqual([u1, u3, u4].sort());
    expect(viewOf(second.snapshot)).toEqual(viewOf(await full(settings)));

    emu.admin.removeMember(a.id, b.id);
    const third = await incremental(settings).read(request(second.checkpoint));
    expect(third.mode).toBe("delta");
    expect(members(third.snapshot, a.id)).toEqual([u1]);
    expect([...third.snapshot.users.keys()]).toEqual([u1]);
  });

  it("reads a group a membership clause names (not assigned) once, direct and transitive, and keeps it current by delta", async () => {
    const [u1, u2, u3] = [user("u1"), user("u2"), user("u3")];
    for (const id of [u1, u2, u3]) emu.admin.assign(id);
    const inner = emu.admin.addGroup({ displayName: "Inner", memberIds: [u2] });
    const named = emu.admin.addGroup({ displayName: "Named", memberIds: [u1, inner.id] });
    const settings = {
      membershipGroups: [
        { groupId: named.id, transitive: false },
        { groupId: named.id, transitive: true },
      ],
    };
    emu.requestLog.clear();
    const first = await incremental(settings).read(request(null));
    expect(membership(first.snapshot, named.id)).toEqual({ direct: [u1], transitive: [u1, u2].sort() });
    expect(first.snapshot.groups.size).toBe(0);
    const memberListings = emu.requestLog.graphRequests().filter((r) => /\/groups\/[^/]+\/members/.test(r.path));
    expect(new Set(memberListings.map((r) => r.path)).size).toBe(2);

    emu.admin.addMember(inner.id, u3);
    emu.admin.removeMember(named.id, u1);
    const second = await incremental(settings).read(request(first.checkpoint));
    expect(second.mode).toBe("delta");
    expect(membership(second.snapshot, named.id)).toEqual({ direct: [], transitive: [u2, u3].sort() });
  });

  it("fails the read, naming the clause, when a group a clause names does not exist", async () => {
    emu.admin.assign(user("u1"));
    const missing = "6a1f0e2b-0000-4000-8000-000000000001";
    const read = incremental({ membershipGroups: [{ groupId: missing, transitive: false }] }).read(request(null));
    await expect(read).rejects.toMatchObject({
      code: "GRAPH_NOT_FOUND",
      message: expect.stringContaining(`group ${missing}, named by a scoping clause`),
    });
  });
});
