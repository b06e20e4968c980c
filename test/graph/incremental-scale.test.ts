import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIncrementalDirectoryReader } from "../../src/graph/index.js";
import { silentLogger } from "../../src/graph/client/logger.js";
import { startGraphEmulator, type GraphEmulator } from "../emulators/graph/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { assignedRequest, secretCredential, settingsFor } from "./support/graph-world.js";
import { systemClock } from "../../src/model/index.js";

const ATTRIBUTES = [
  "mail",
  "displayName",
  "department",
  "givenName",
  "surname",
  "jobTitle",
  "employeeId",
  "mailNickname",
  "userType",
];

describe("incremental reads on a 100,000-user tenant", () => {
  let emu: GraphEmulator;
  beforeAll(async () => {
    emu = await startGraphEmulator({ tenant: generateTenant({ seed: 100, users: 100_000 }) });
  });
  afterAll(async () => {
    await emu.close();
  });

  it("keeps a compact checkpoint of every user (scope all) and reads one change in a few requests", async () => {
    const reader = createIncrementalDirectoryReader(settingsFor(emu), secretCredential(emu), silentLogger, systemClock);
    const request = { ...assignedRequest(emu, ATTRIBUTES), scope: "all" as const, forceFull: false };
    const first = await reader.read({ ...request, checkpoint: null });
    expect(first.snapshot.users.size).toBe(100_000);

    let started = Date.now();
    const json = JSON.stringify(first.checkpoint);
    const stored: unknown = JSON.parse(json);
    const roundTripMs = Date.now() - started;
    const megabytes = Buffer.byteLength(json) / 1_048_576;
    console.info(
      `checkpoint: ${megabytes.toFixed(1)} MB for 100,000 users (${ATTRIBUTES.length + 3} attributes), JSON round trip ${roundTripMs} ms`,
    );
    expect(megabytes).toBeLessThan(30);

    const user = emu.store.listUsers()[50_000];
    emu.admin.updateUser(user?.id ?? "", { jobTitle: "Promoted" });
    emu.requestLog.clear();
    started = Date.now();
    const next = await reader.read({ ...request, checkpoint: stored as Record<string, unknown> });
    const requests = emu.requestLog.graphRequests();
    const assignmentPages = requests.filter((r) => r.path.endsWith("/appRoleAssignedTo")).length;
    console.info(
      `delta read of one change: ${Date.now() - started} ms, ${requests.length} Graph requests (${assignmentPages} assignment pages)`,
    );
    expect(next.mode).toBe("delta");
    expect(next.snapshot.users.get(user?.id ?? "")?.attributes["jobTitle"]).toBe("Promoted");
    // Assignments have no delta: re-read in pages of 999. Everything else follows the changes.
    expect(assignmentPages).toBe(Math.ceil(emu.store.assignments.size / 999));
    expect(requests.length - assignmentPages).toBeLessThan(15);
  }, 180_000);
});
