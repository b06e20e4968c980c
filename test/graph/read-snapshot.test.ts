import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGraphDirectoryReader } from "../support/graph-directory-reader.js";
import { ConfigError, FatalError } from "../../src/model/index.js";
import { startGraphEmulator, type GraphEmulator } from "../emulators/graph/index.js";
import { DEFAULT_ACCESS_ROLE_ID, generateTenant } from "../fixtures/tenant.js";
import { expectedAssigned } from "./support/expected.js";
import { assignedRequest, memoryLogger, recordingSleep, secretCredential, settingsFor } from "./support/graph-world.js";

describe("readSnapshot, scope assigned", () => {
  let emu: GraphEmulator;
  beforeEach(async () => {
    emu = await startGraphEmulator({ tenant: generateTenant({ seed: 7, users: 120, groups: 6 }), maxPageSize: 3 });
  });
  afterEach(async () => {
    await emu.close();
  });

  it("reads every page of assignments and returns assigned users and direct user members of assigned groups", async () => {
    const logger = memoryLogger();
    const snapshot = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu), logger).readSnapshot(
      assignedRequest(emu),
    );
    const expected = expectedAssigned(emu.store);
    expect(new Set(snapshot.users.keys())).toEqual(expected.users);
    expect(new Set(snapshot.groups.keys())).toEqual(expected.groups);
    expect(snapshot.assignmentCount).toBe(emu.store.assignments.size);
    const pages = emu.requestLog.count((e) => e.path.endsWith("/appRoleAssignedTo"));
    expect(pages).toBe(Math.ceil(emu.store.assignments.size / 3));
    expect(snapshot.servicePrincipal.appRoles.map((r) => r.id)).toContain(DEFAULT_ACCESS_ROLE_ID);
  });

  it("selects only the requested attributes plus id, userPrincipalName and accountEnabled", async () => {
    const snapshot = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu)).readSnapshot(
      assignedRequest(emu, ["department"]),
    );
    const user = [...snapshot.users.values()][0];
    expect(Object.keys(user?.attributes ?? {}).sort()).toEqual([
      "accountEnabled",
      "department",
      "id",
      "userPrincipalName",
    ]);
  });

  it("keeps nested groups unexpanded and skips device and service principal members with a logged reason", async () => {
    const outsider = emu.admin.addUser({ displayName: "Only nested" });
    const nested = emu.admin.addGroup({ memberIds: [outsider.id] });
    const parent = emu.admin.addGroup({ memberIds: [nested.id, emu.store.listUsers()[3]?.id ?? ""] });
    const device = [...emu.store.devices.values()][0];
    if (device) emu.admin.addMember(parent.id, device.id);
    emu.admin.addMember(parent.id, [...emu.store.servicePrincipals.keys()][1] ?? "");
    emu.admin.assign(parent.id);
    const logger = memoryLogger();
    const snapshot = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu), logger).readSnapshot(
      assignedRequest(emu),
    );
    expect(snapshot.users.has(outsider.id)).toBe(false);
    expect(snapshot.groups.get(parent.id)?.memberUserIds).toEqual([emu.store.listUsers()[3]?.id]);
    expect(
      snapshot.userAssignments.get(emu.store.listUsers()[3]?.id ?? "")?.some((a) => a.principalId === parent.id),
    ).toBe(true);
    const skipped = logger.lines
      .filter((l) => l.msg.includes("not users"))
      .map((l) => (l.obj as { memberType: string }).memberType);
    expect(skipped).toEqual(
      expect.arrayContaining([
        "#microsoft.graph.group",
        "#microsoft.graph.device",
        "#microsoft.graph.servicePrincipal",
      ]),
    );
  });

  it("skips a user without userPrincipalName and keeps a user without mail, logging both", async () => {
    const broken = emu.admin.addUser({ userPrincipalName: null });
    const noMail = emu.admin.addUser({ mail: null });
    emu.admin.assign(broken.id);
    emu.admin.assign(noMail.id);
    const logger = memoryLogger();
    const snapshot = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu), logger).readSnapshot(
      assignedRequest(emu),
    );
    expect(snapshot.users.has(broken.id)).toBe(false);
    expect(snapshot.users.get(noMail.id)?.attributes["mail"]).toBeNull();
    expect(logger.lines.some((l) => l.level === "warn" && l.msg.includes("without userPrincipalName"))).toBe(true);
  });

  it("does not bring in members of an assigned group that is not security-enabled", async () => {
    const member = emu.admin.addUser();
    const m365 = emu.admin.addGroup({ securityEnabled: false, groupTypes: ["Unified"], memberIds: [member.id] });
    emu.admin.assign(m365.id);
    const snapshot = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu)).readSnapshot(
      assignedRequest(emu),
    );
    expect(snapshot.groups.get(m365.id)?.attributes["securityEnabled"]).toBe(false);
    expect(snapshot.users.has(member.id)).toBe(false);
  });

  it("leaves out an assigned user that was deleted (404 inside the batch) without failing", async () => {
    const gone = emu.admin.addUser();
    emu.admin.assign(gone.id);
    emu.admin.softDeleteUser(gone.id);
    const snapshot = await createGraphDirectoryReader(
      settingsFor(emu),
      secretCredential(emu),
      memoryLogger(),
    ).readSnapshot(assignedRequest(emu));
    expect(snapshot.users.has(gone.id)).toBe(false);
  });

  it("finds the app by service principal object id as well as by appId", async () => {
    const reader = createGraphDirectoryReader(settingsFor(emu), secretCredential(emu));
    const byId = await reader.readSnapshot({
      ...assignedRequest(emu),
      app: { servicePrincipalId: emu.servicePrincipalId },
    });
    expect(byId.servicePrincipal.appId).toBe(emu.appId);
    expect(byId.users.size).toBe(expectedAssigned(emu.store).users.size);
  });

  it("an unknown appId is a ConfigError", async () => {
    const reader = createGraphDirectoryReader(settingsFor(emu), secretCredential(emu));
    const error = await reader
      .readSnapshot({ ...assignedRequest(emu), app: { appId: "99999999-9999-4999-8999-999999999999" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: "GRAPH_APP_NOT_FOUND" });
  });

  it("reading users by listing gives the same snapshot as reading them by id", async () => {
    const batched = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu)).readSnapshot(
      assignedRequest(emu),
    );
    const listed = await createGraphDirectoryReader(
      settingsFor(emu, { listAllUsersThreshold: 1 }),
      secretCredential(emu),
    ).readSnapshot(assignedRequest(emu));
    expect([...listed.users.keys()].sort()).toEqual([...batched.users.keys()].sort());
    expect(listed.users.get([...batched.users.keys()][0] ?? "")).toEqual(
      batched.users.get([...batched.users.keys()][0] ?? ""),
    );
  });

  it("starts listing every user beside the member pages once the users seen reach the threshold", async () => {
    const batched = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu)).readSnapshot(
      assignedRequest(emu),
    );
    const direct = new Set(
      [...emu.store.assignments.values()].filter((a) => a.principalType === "User").map((a) => a.principalId),
    );
    expect(batched.users.size).toBeGreaterThan(direct.size + 1);
    emu.requestLog.clear();
    // Reached with the first member who is not also assigned directly: long before the last member page.
    const listed = await createGraphDirectoryReader(
      settingsFor(emu, { listAllUsersThreshold: direct.size + 1 }),
      secretCredential(emu),
    ).readSnapshot(assignedRequest(emu));
    expect(new Set(listed.users.keys())).toEqual(new Set(batched.users.keys()));
    const paths = emu.requestLog.graphRequests().map((e) => e.path);
    const firstUsersPage = paths.indexOf("/v1.0/users");
    const lastMembersPage = paths.findLastIndex((p) => p.endsWith("/members"));
    expect(firstUsersPage).toBeGreaterThanOrEqual(0);
    expect(firstUsersPage).toBeLessThan(lastMembersPage);
    expect(emu.requestLog.countsByPath()["POST /v1.0/$batch"] ?? 0).toBeLessThanOrEqual(1); // the groups only
  });

  it("scope all returns every user with a UPN and every group", async () => {
    const snapshot = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu)).readSnapshot({
      ...assignedRequest(emu),
      scope: "all",
    });
    expect(snapshot.users.size).toBe(emu.store.users.size);
    expect(snapshot.groups.size).toBe(emu.store.groups.size);
    // Every user is listed whatever the app and its groups say: that chain of pages starts with
    // the first reads, not after the last group's members.
    const paths = emu.requestLog.graphRequests().map((e) => e.path);
    const firstUsersPage = paths.indexOf("/v1.0/users");
    const firstMembersPage = paths.findIndex((p) => p.endsWith("/members"));
    expect(firstUsersPage).toBeGreaterThanOrEqual(0);
    expect(firstMembersPage).toBeGreaterThanOrEqual(0);
    expect(firstUsersPage).toBeLessThan(firstMembersPage);
  });
});

describe("readSnapshot, permissions", () => {
  let emu: GraphEmulator;
  beforeEach(async () => {
    emu = await startGraphEmulator({ tenant: generateTenant({ seed: 3, users: 30 }) });
  });
  afterEach(async () => {
    await emu.close();
  });

  it.each([
    ["Application.Read.All", ["User.Read.All", "GroupMember.Read.All"]],
    ["User.Read.All", ["Application.Read.All", "GroupMember.Read.All"]],
    ["GroupMember.Read.All", ["Application.Read.All", "User.Read.All"]],
  ] as const)("without %s the read fails with a FatalError naming it", async (missing, granted) => {
    emu.admin.setPermissions(emu.clientId, granted);
    const error = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu))
      .readSnapshot(assignedRequest(emu))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect(error).toMatchObject({ code: "GRAPH_FORBIDDEN" });
    expect((error as Error).message).toContain(missing);
  });

  it("a revoked access token (401 from Graph) is a FatalError", async () => {
    const reader = createGraphDirectoryReader(settingsFor(emu), secretCredential(emu));
    await reader.readSnapshot(assignedRequest(emu));
    emu.admin.revokeAccessTokens();
    const error = await reader.readSnapshot(assignedRequest(emu)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect(error).toMatchObject({ code: "GRAPH_UNAUTHORIZED" });
    expect((error as Error).message).not.toMatch(/emu\./);
  });
});

describe("readSnapshot under faults", () => {
  let emu: GraphEmulator;
  beforeEach(async () => {
    emu = await startGraphEmulator({ tenant: generateTenant({ seed: 11, users: 200, groups: 8 }), maxPageSize: 10 });
  });
  afterEach(async () => {
    await emu.close();
  });

  it("with 30% of Graph requests throttled (Retry-After: 1) the snapshot is still complete and the waits honour Retry-After", async () => {
    const clean = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu)).readSnapshot(
      assignedRequest(emu),
    );
    emu.faults.add({ path: /^\/v1\.0\//, status: 429, retryAfter: 1, fraction: 0.3 });
    const { sleep, waits } = recordingSleep();
    const throttled = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu), undefined, {
      sleep,
    }).readSnapshot(assignedRequest(emu));
    expect(emu.faults.injectedCounts()[0]).toBeGreaterThan(5);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((ms) => ms === 1000)).toBe(true);
    expect([...throttled.users.keys()].sort()).toEqual([...clean.users.keys()].sort());
    expect([...throttled.groups.values()]).toEqual([...clean.groups.values()]);
    expect(throttled.userAssignments).toEqual(clean.userAssignments);
  });

  it("throttled items inside a $batch are retried by us, after their own Retry-After", async () => {
    emu.faults.add({ scope: "inner", path: /^\/v1\.0\/users\//, status: 429, retryAfter: 3, count: 7 });
    const { sleep, waits } = recordingSleep();
    const snapshot = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu), undefined, {
      sleep,
    }).readSnapshot(assignedRequest(emu));
    expect(emu.faults.injectedCounts()).toEqual([7]);
    expect(waits).toContain(3000);
    expect(new Set(snapshot.users.keys())).toEqual(expectedAssigned(emu.store).users);
  });

  it("a permanent failure on page 2 of appRoleAssignedTo rejects: no snapshot", async () => {
    emu.faults.add({ path: /\/appRoleAssignedTo$/, status: 503, nth: 2, permanent: true });
    const { sleep, waits } = recordingSleep();
    const error = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu), undefined, { sleep })
      .readSnapshot(assignedRequest(emu))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "GraphReadError",
      code: "GRAPH_TRANSIENT",
      status: 503,
      resource: `/servicePrincipals/${emu.servicePrincipalId}/appRoleAssignedTo`,
    });
    expect(waits).toHaveLength(5);
    expect(emu.requestLog.count((e) => e.path.endsWith("/appRoleAssignedTo"))).toBe(1 + 6);
  });

  it("a hung request times out and is retried", async () => {
    emu.faults.add({ path: /\/appRoleAssignedTo$/, latencyMs: 1_500, nth: 1 });
    const { sleep, waits } = recordingSleep();
    const snapshot = await createGraphDirectoryReader(
      settingsFor(emu, { requestTimeoutMs: 300 }),
      secretCredential(emu),
      undefined,
      { sleep },
    ).readSnapshot(assignedRequest(emu));
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(snapshot.assignmentCount).toBe(emu.store.assignments.size);
  });

  it("a 400 is never retried", async () => {
    emu.faults.add({ path: /\/members$/, status: 400, code: "Request_BadRequest", count: 1 });
    const { sleep, waits } = recordingSleep();
    const error = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu), undefined, { sleep })
      .readSnapshot(assignedRequest(emu))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "GRAPH_INVALID", status: 400, graphCode: "Request_BadRequest" });
    expect(waits).toHaveLength(0);
  });
});

describe("request volume", () => {
  it("reads users in batches of 20, several at once, never one request per user", async () => {
    const emu = await startGraphEmulator({
      tenant: generateTenant({ seed: 5, users: 2_000, groups: 10, assignedFraction: 0.4 }),
    });
    try {
      const snapshot = await createGraphDirectoryReader(
        settingsFor(emu, { listAllUsersThreshold: 5_000 }),
        secretCredential(emu),
      ).readSnapshot(assignedRequest(emu));
      const expected = expectedAssigned(emu.store);
      expect(snapshot.users.size).toBe(expected.users.size);
      const counts = emu.requestLog.countsByPath();
      expect(counts["GET /v1.0/users/{id}"]).toBeUndefined();
      const outer = emu.requestLog.graphRequests().length;
      const bound =
        2 +
        Math.ceil(emu.store.assignments.size / 999) +
        Math.ceil(expected.users.size / 20) +
        Math.ceil(expected.groups.size / 20) +
        expected.groups.size;
      expect(outer).toBeLessThanOrEqual(bound);
      expect(counts["POST /v1.0/$batch"]).toBe(
        Math.ceil(expected.users.size / 20) + Math.ceil(expected.groups.size / 20),
      );
    } finally {
      await emu.close();
    }
  });
});
