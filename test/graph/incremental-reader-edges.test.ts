import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DirectoryCheckpoint, IncrementalReadRequest } from "../../src/cycle/index.js";
import { createIncrementalDirectoryReader } from "../../src/graph/index.js";
import { createGraphDirectoryReader } from "../support/graph-directory-reader.js";
import { startGraphEmulator, type GraphEmulator } from "../emulators/graph/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { assignedRequest, memoryLogger, recordingSleep, secretCredential, settingsFor } from "./support/graph-world.js";
import { viewOf } from "./support/incremental-view.js";

describe("incremental reads: scope all, rejected tokens, failures", () => {
  let emu: GraphEmulator;
  beforeEach(async () => {
    emu = await startGraphEmulator({ tenant: generateTenant({ seed: 5, users: 150, groups: 8 }), maxPageSize: 40 });
  });
  afterEach(async () => {
    await emu.close();
  });

  const reader = () =>
    createIncrementalDirectoryReader(
      settingsFor(emu, { maxRetries: 1 }),
      secretCredential(emu),
      memoryLogger(),
      recordingSleep(),
    );
  const request = (scope: "all" | "assigned", checkpoint: DirectoryCheckpoint | null): IncrementalReadRequest => ({
    ...assignedRequest(emu),
    scope,
    checkpoint,
    forceFull: false,
  });
  const fresh = (scope: "all" | "assigned") =>
    createGraphDirectoryReader(settingsFor(emu), secretCredential(emu)).readSnapshot({
      ...assignedRequest(emu),
      scope,
    });

  it("scope all: new users and groups, member changes, soft and hard deletion merge like a full read", async () => {
    const first = await reader().read(request("all", null));
    const [a, b, c] = emu.store.listUsers();
    const added = emu.admin.addUser({ displayName: "Brand New" });
    const group = emu.admin.addGroup({ memberIds: [added.id, a?.id ?? ""] });
    emu.admin.addMember(emu.store.listGroups()[2]?.id ?? "", added.id);
    emu.admin.updateUser(a?.id ?? "", { department: "Moved" });
    emu.admin.softDeleteUser(b?.id ?? "");
    emu.admin.hardDeleteUser(c?.id ?? "");
    emu.requestLog.clear();
    const second = await reader().read(request("all", first.checkpoint));
    expect(second.mode).toBe("delta");
    expect(emu.requestLog.graphRequests().length).toBeLessThan(12);
    expect(second.snapshot.users.get(b?.id ?? "")?.softDeleted).toBe(true);
    expect(second.snapshot.groups.get(group.id)?.memberUserIds).toEqual(expect.arrayContaining([added.id, a?.id]));
    expect(viewOf(second.snapshot, new Set([b?.id ?? ""]))).toEqual(viewOf(await fresh("all")));
  });

  it("a group that becomes security-enabled has its members read; one that stops loses them", async () => {
    const m365 = emu.admin.addGroup({
      securityEnabled: false,
      groupTypes: ["Unified"],
      memberIds: emu.store
        .listUsers()
        .slice(140, 143)
        .map((u) => u.id),
    });
    emu.admin.assign(m365.id);
    const security = [...emu.store.groups.values()].find(
      (g) => g.securityEnabled && g.members.size > 1 && g.id !== m365.id,
    );
    emu.admin.assign(security?.id ?? "");
    const first = await reader().read(request("assigned", null));
    expect(first.snapshot.groups.get(m365.id)?.memberUserIds).toEqual([]);
    emu.admin.updateGroup(m365.id, { securityEnabled: true, displayName: "Now a security group" });
    emu.admin.updateGroup(security?.id ?? "", { securityEnabled: false });
    const second = await reader().read(request("assigned", first.checkpoint));
    expect(second.mode).toBe("delta");
    expect(second.snapshot.groups.get(m365.id)?.memberUserIds).toHaveLength(3);
    expect(second.snapshot.groups.get(security?.id ?? "")?.memberUserIds).toEqual([]);
    expect(viewOf(second.snapshot)).toEqual(viewOf(await fresh("assigned")));
  });

  it.each(["resyncRequired", "SyncStateNotFound"])(
    "a delta token rejected with %s (any case) falls back to a full read",
    async (code) => {
      const first = await reader().read(request("assigned", null));
      emu.faults.add({ path: /\/groups\/delta$/, status: 400, code, count: 1 });
      const second = await reader().read(request("assigned", first.checkpoint));
      expect(second).toMatchObject({ mode: "full", fullReadReason: expect.stringContaining(code) });
      expect(viewOf(second.snapshot)).toEqual(viewOf(await fresh("assigned")));
    },
  );

  it("a delta round that keeps failing throws (no partial snapshot, no fallback); the same checkpoint serves later", async () => {
    const first = await reader().read(request("assigned", null));
    const user = emu.store
      .listAssignments()
      .find((x) => x.principalType === "User" && emu.store.users.has(x.principalId));
    emu.admin.updateUser(user?.principalId ?? "", { displayName: "After the outage" });
    emu.faults.add({ path: /\/users\/delta$/, status: 503, permanent: true, nth: 1 });
    await expect(reader().read(request("assigned", first.checkpoint))).rejects.toMatchObject({
      name: "GraphReadError",
      kind: "transient",
    });
    emu.faults.clear();
    const retried = await reader().read(request("assigned", first.checkpoint));
    expect(retried.mode).toBe("delta");
    expect(retried.snapshot.users.get(user?.principalId ?? "")?.attributes["displayName"]).toBe("After the outage");
  });

  it("a user read by id that keeps failing inside the $batch fails the read", async () => {
    const first = await reader().read(request("assigned", null));
    emu.admin.assign(emu.admin.addUser().id);
    emu.faults.add({ scope: "inner", path: /^\/v1\.0\/users\//, status: 500, permanent: true, nth: 1 });
    await expect(reader().read(request("assigned", first.checkpoint))).rejects.toMatchObject({
      name: "GraphReadError",
    });
  });

  it("a directly assigned user that was soft-deleted at the full read is read again once restored", async () => {
    const user = emu.admin.addUser({ displayName: "Away" });
    emu.admin.assign(user.id);
    emu.admin.softDeleteUser(user.id);
    const first = await reader().read(request("assigned", null));
    expect(first.snapshot.users.has(user.id)).toBe(false);
    emu.requestLog.clear();
    const quiet = await reader().read(request("assigned", first.checkpoint));
    expect(emu.requestLog.count((e) => e.path.endsWith("$batch"))).toBe(0);
    emu.admin.restoreUser(user.id);
    const back = await reader().read(request("assigned", quiet.checkpoint));
    expect(back.snapshot.users.get(user.id)?.softDeleted).toBe(false);
    expect(viewOf(back.snapshot)).toEqual(viewOf(await fresh("assigned")));
  });
});
