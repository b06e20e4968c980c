import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DirectoryCheckpoint, IncrementalRead, IncrementalReadRequest } from "../../src/cycle/index.js";
import { createIncrementalDirectoryReader } from "../../src/graph/index.js";
import { createGraphDirectoryReader } from "../support/graph-directory-reader.js";
import { startGraphEmulator, type GraphEmulator } from "../emulators/graph/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { assignedRequest, memoryLogger, secretCredential, settingsFor } from "./support/graph-world.js";
import { viewOf } from "./support/incremental-view.js";
import { systemClock } from "../../src/model/index.js";

const ATTRIBUTES = ["mail", "displayName", "department", "givenName", "surname", "jobTitle", "employeeId"];

describe("incremental reads over delta, on a 2,000-user tenant", () => {
  let emu: GraphEmulator;
  let checkpoint: DirectoryCheckpoint | null = null;
  const logger = memoryLogger();
  const request = (): IncrementalReadRequest => ({ ...assignedRequest(emu, ATTRIBUTES), checkpoint, forceFull: false });
  const reader = () => createIncrementalDirectoryReader(settingsFor(emu), secretCredential(emu), logger, systemClock);

  /** One read from the last checkpoint; the checkpoint advances (as after an applied cycle). */
  async function next(): Promise<{ read: IncrementalRead; requests: number; counts: Record<string, number> }> {
    emu.requestLog.clear();
    const read = await reader().read(request());
    const requests = emu.requestLog.graphRequests().length;
    const counts = emu.requestLog.countsByPath();
    checkpoint = read.checkpoint;
    return { read, requests, counts };
  }

  async function fresh() {
    return createGraphDirectoryReader(settingsFor(emu), secretCredential(emu)).readSnapshot(
      assignedRequest(emu, ATTRIBUTES),
    );
  }

  /** A delta read that equals a fresh full read and costs a few requests. */
  async function expectDeltaMatchesFull(softDeleted: ReadonlySet<string> = new Set()) {
    const result = await next();
    expect(result.read.mode).toBe("delta");
    expect(result.read.fullReadReason).toBeNull();
    expect(viewOf(result.read.snapshot, softDeleted)).toEqual(viewOf(await fresh()));
    expect(result.requests).toBeLessThan(15);
    if (process.env["SHOW_COUNTS"]) console.log(result.requests, JSON.stringify(result.counts));
    expect(result.counts["GET /v1.0/users"]).toBeUndefined();
    return result;
  }

  const assignedUsers = () =>
    emu.store
      .listAssignments()
      .filter((a) => a.principalType === "User")
      .map((a) => a.principalId);
  const assignedGroups = () =>
    new Set(
      emu.store
        .listAssignments()
        .filter((a) => a.principalType === "Group")
        .map((a) => a.principalId),
    );
  const securityGroup = () =>
    [...assignedGroups()].map((id) => emu.store.groups.get(id)).find((g) => g?.securityEnabled && g.members.size > 3);
  const onlyDirect = () => {
    const viaGroups = new Set([...assignedGroups()].flatMap((id) => [...(emu.store.groups.get(id)?.members ?? [])]));
    const once = assignedUsers().filter(
      (id, i, all) => all.indexOf(id) === i && !viaGroups.has(id) && emu.store.users.has(id),
    );
    return once.filter((id) => assignedUsers().filter((x) => x === id).length === 1);
  };

  beforeAll(async () => {
    emu = await startGraphEmulator({ tenant: generateTenant({ seed: 42, users: 2_000 }) });
  });
  afterAll(async () => {
    await emu.close();
  });

  it("reads in full first, taking delta links from now, and returns a checkpoint", async () => {
    const { read, counts } = await next();
    expect(read.mode).toBe("full");
    expect(read.fullReadReason).toBeNull();
    expect(viewOf(read.snapshot)).toEqual(viewOf(await fresh()));
    expect(counts["GET /v1.0/users/delta"]).toBe(1);
    expect(counts["GET /v1.0/groups/delta"]).toBe(1);
    expect(Object.keys(read.checkpoint)).toEqual(
      expect.arrayContaining(["format", "selectKey", "fullReadAt", "deltaLinks", "users", "groups"]),
    );
    expect(JSON.parse(JSON.stringify(read.checkpoint))).toEqual(read.checkpoint);
  });

  it("with nothing changed, a delta read costs a handful of requests and no $batch", async () => {
    const { counts } = await expectDeltaMatchesFull();
    expect(counts["POST /v1.0/$batch"]).toBeUndefined();
  });

  it("sees a user renamed", async () => {
    const id = onlyDirect()[0] ?? "";
    emu.admin.updateUser(id, { displayName: "Renamed Person", surname: "Renamed" });
    const { read } = await expectDeltaMatchesFull();
    expect(read.snapshot.users.get(id)?.attributes).toMatchObject({
      displayName: "Renamed Person",
      surname: "Renamed",
    });
  });

  it("sees a user disabled", async () => {
    const id = onlyDirect()[1] ?? "";
    emu.admin.disableUser(id);
    const { read } = await expectDeltaMatchesFull();
    expect(read.snapshot.users.get(id)?.attributes["accountEnabled"]).toBe(false);
  });

  let softDeletedId = "";
  it("keeps a soft-deleted user, marked softDeleted, for the planner to deactivate", async () => {
    const group = securityGroup();
    softDeletedId = [...(group?.members ?? [])].find((id) => emu.store.users.has(id)) ?? "";
    emu.admin.softDeleteUser(softDeletedId);
    const { read } = await expectDeltaMatchesFull(new Set([softDeletedId]));
    expect(read.snapshot.users.get(softDeletedId)?.softDeleted).toBe(true);
    expect(read.snapshot.userAssignments.get(softDeletedId)?.length).toBeGreaterThan(0);
  });

  it("sees the soft-deleted user restored", async () => {
    emu.admin.restoreUser(softDeletedId);
    const { read } = await expectDeltaMatchesFull();
    expect(read.snapshot.users.get(softDeletedId)?.softDeleted).toBe(false);
  });

  it("drops a hard-deleted user (and its memberships)", async () => {
    const group = securityGroup();
    const id = [...(group?.members ?? [])].filter((m) => emu.store.users.has(m))[1] ?? "";
    emu.admin.hardDeleteUser(id);
    const { read } = await expectDeltaMatchesFull();
    expect(read.snapshot.users.has(id)).toBe(false);
    expect(read.snapshot.groups.get(group?.id ?? "")?.memberUserIds).not.toContain(id);
  });

  let newcomerId = "";
  it("brings in a user added to an assigned group, read by id in one $batch", async () => {
    const group = securityGroup();
    const inScope = new Set([
      ...assignedUsers(),
      ...[...assignedGroups()].flatMap((g) => [...(emu.store.groups.get(g)?.members ?? [])]),
    ]);
    newcomerId = emu.store.listUsers().find((u) => !inScope.has(u.id))?.id ?? "";
    emu.admin.addMember(group?.id ?? "", newcomerId);
    const { read, counts } = await expectDeltaMatchesFull();
    expect(read.snapshot.users.has(newcomerId)).toBe(true);
    expect(read.snapshot.groups.get(group?.id ?? "")?.memberUserIds).toContain(newcomerId);
    expect(counts["POST /v1.0/$batch"]).toBe(1);
  });

  it("lets a user removed from the group leave scope", async () => {
    emu.admin.removeMember(securityGroup()?.id ?? "", newcomerId);
    const { read } = await expectDeltaMatchesFull();
    expect(read.snapshot.users.has(newcomerId)).toBe(false);
  });

  it("sees an assignment removed and one added (the new user read by id)", async () => {
    const unassigned = onlyDirect()[2] ?? "";
    emu.admin.unassign(unassigned);
    const added = emu.admin.addUser({ displayName: "Just Hired", department: "Sales" });
    emu.admin.assign(added.id);
    const { read, counts } = await expectDeltaMatchesFull();
    expect(read.snapshot.users.has(unassigned)).toBe(false);
    expect(read.snapshot.users.get(added.id)?.attributes).toMatchObject({
      displayName: "Just Hired",
      department: "Sales",
    });
    expect(counts["POST /v1.0/$batch"]).toBe(1);
  });

  it("sees a security group newly assigned: the group, its members and their users are read", async () => {
    const group = emu.store
      .listGroups()
      .find((g) => !assignedGroups().has(g.id) && g.securityEnabled && g.members.size > 2);
    emu.admin.assign(group?.id ?? "");
    const { read, counts } = await expectDeltaMatchesFull();
    expect(read.snapshot.groups.has(group?.id ?? "")).toBe(true);
    expect(counts["GET /v1.0/groups/{id}/members"]).toBe(1);
  });

  it("falls back to a full read, logged with a reason, when the delta token expired", async () => {
    emu.admin.updateUser(onlyDirect()[3] ?? "", { jobTitle: "Changed while expired" });
    emu.admin.expireDeltaTokens();
    const { read } = await next();
    expect(read.mode).toBe("full");
    expect(read.fullReadReason).toMatch(/expired or rejected \(syncStateNotFound\)/);
    expect(viewOf(read.snapshot)).toEqual(viewOf(await fresh()));
    expect(logger.lines.some((l) => l.level === "warn" && l.msg.includes("Delta token expired"))).toBe(true);
    await expectDeltaMatchesFull();
  });

  it("reads in full when the $select changed", async () => {
    const read = await reader().read({
      ...assignedRequest(emu, [...ATTRIBUTES, "userType"]),
      checkpoint,
      forceFull: false,
    });
    expect(read.mode).toBe("full");
    expect(read.fullReadReason).toMatch(/selection/);
    expect(Object.keys([...read.snapshot.users.values()][0]?.attributes ?? {})).toContain("userType");
  });

  it.each([
    ["not an object it knows", () => ({ hello: "world" })],
    ["an unknown format", () => ({ ...checkpointOrEmpty(), format: 99 })],
    ["a user row of the wrong length", () => ({ ...checkpointOrEmpty(), users: { "a-b": [1] } })],
    ["a delta link that is not a string", () => ({ ...checkpointOrEmpty(), deltaLinks: { users: 3, groups: "x" } })],
    [
      "an assignment with an unknown principal type",
      () => ({ ...checkpointOrEmpty(), assignments: [["u-1", "Device", "00000000-0000-0000-0000-000000000000"]] }),
    ],
    ["an assignment that is not a triple", () => ({ ...checkpointOrEmpty(), assignments: [["u-1", "User"]] })],
  ])("reads in full when the checkpoint is corrupt: %s", async (_name, corrupt) => {
    expect(checkpoint).not.toBeNull();
    const read = await reader().read({ ...request(), checkpoint: corrupt() });
    expect(read.mode).toBe("full");
    expect(read.fullReadReason).toMatch(/checkpoint is unusable/);
    expect(viewOf(read.snapshot)).toEqual(viewOf(await fresh()));
  });

  it("reads in full when asked to, and periodically", async () => {
    const forced = await reader().read({ ...request(), forceFull: true });
    expect(forced).toMatchObject({ mode: "full", fullReadReason: "a full read was requested" });
    const later = () => new Date(Date.now() + 25 * 3_600_000);
    const periodic = await createIncrementalDirectoryReader(settingsFor(emu), secretCredential(emu), logger, {
      ...systemClock,
      now: later,
    }).read(request());
    expect(periodic.mode).toBe("full");
    expect(periodic.fullReadReason).toMatch(/periodic/);
    const hourly = createIncrementalDirectoryReader(
      settingsFor(emu, { fullReadIntervalHours: 48 }),
      secretCredential(emu),
      logger,
      { ...systemClock, now: later },
    );
    expect((await hourly.read(request())).mode).toBe("delta");
  });

  function checkpointOrEmpty(): Record<string, unknown> {
    return checkpoint === null ? {} : { ...checkpoint };
  }
});
