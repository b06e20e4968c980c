import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGraphDirectoryReader } from "../support/graph-directory-reader.js";
import { startGraphEmulator, type GraphEmulator } from "../emulators/graph/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { expectedAssigned } from "./support/expected.js";
import { assignedRequest, secretCredential, settingsFor } from "./support/graph-world.js";

describe("a 100,000-user tenant", () => {
  let emu: GraphEmulator;
  beforeAll(async () => {
    emu = await startGraphEmulator({ tenant: generateTenant({ seed: 100, users: 100_000 }) });
  });
  afterAll(async () => {
    await emu.close();
  });

  it("reads the assigned snapshot by listing users (a third of the tenant is assigned) in bounded requests", async () => {
    const started = Date.now();
    const snapshot = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu)).readSnapshot(
      assignedRequest(emu),
    );
    expect(snapshot.users.size).toBe(expectedAssigned(emu.store).users.size);
    const counts = emu.requestLog.countsByPath();
    expect(counts["GET /v1.0/users"]).toBe(Math.ceil(emu.store.users.size / 999));
    expect(emu.requestLog.graphRequests().length).toBeLessThan(500);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("reads every user and group with scope all", async () => {
    const snapshot = await createGraphDirectoryReader(settingsFor(emu), secretCredential(emu)).readSnapshot({
      ...assignedRequest(emu),
      scope: "all",
    });
    expect(snapshot.users.size).toBe(100_000);
    expect(snapshot.groups.size).toBe(emu.store.groups.size);
  });
});
