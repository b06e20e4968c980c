import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KLAXOON_LICENSE_PATH } from "../../src/model/index.js";
import {
  countActiveUsers,
  countGroups,
  countMembers,
  countUsers,
  getUserByUserName,
  KLAXOON_GROUP_EXTENSION_URN,
  memberIds,
  startKlaxoonEmulator,
  type KlaxoonEmulator,
} from "../emulators/klaxoon/index.js";
import { patchOp, raw } from "./support.js";

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

function newUser(userName: string): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA],
    userName,
    externalId: `x-${userName}`,
    active: true,
    name: { givenName: "Grace", familyName: "Hopper" },
    emails: [{ type: "work", primary: true, value: `${userName}@example.com` }],
  };
}

async function createUser(emulator: KlaxoonEmulator, userName: string): Promise<string> {
  const response = await raw(emulator, "POST", "/Users", newUser(userName));
  expect(response.status).toBe(201);
  return String((response.json as { id: string }).id);
}

describe("Klaxoon emulator", () => {
  let emulator: KlaxoonEmulator;
  beforeEach(async () => {
    emulator = await startKlaxoonEmulator({ maxPageSize: 3 });
  });
  afterEach(async () => emulator.close());

  it("requires the bearer token", async () => {
    expect((await raw(emulator, "GET", "/Users", undefined, "wrong")).status).toBe(401);
    expect((await raw(emulator, "GET", "/Users")).status).toBe(200);
  });

  it("answers Test Connection with an empty list", async () => {
    const response = await raw(emulator, "GET", `/Users?filter=${encodeURIComponent('userName eq "0b6f0e1c-guid"')}`);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it("keeps userName unique, case-insensitively (409 uniqueness)", async () => {
    await createUser(emulator, "ada");
    const response = await raw(emulator, "POST", "/Users", newUser("ADA"));
    expect(response.status).toBe(409);
    expect(response.json).toMatchObject({ scimType: "uniqueness" });
    expect(countUsers(emulator)).toBe(1);
  });

  it("filters on userName, work email and displayName only", async () => {
    await createUser(emulator, "ada");
    const byMail = await raw(
      emulator,
      "GET",
      `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "ADA@example.com"')}`,
    );
    expect(byMail.json).toMatchObject({ totalResults: 1 });
    for (const filter of [
      'externalId eq "x-ada"',
      'userName sw "a"',
      'emails.value eq "ada@example.com"',
      'displayName eq "x"',
    ]) {
      const response = await raw(emulator, "GET", `/Users?filter=${encodeURIComponent(filter)}`);
      expect(response.status, filter).toBe(400);
      expect(response.json).toMatchObject({ scimType: "invalidFilter" });
    }
    expect((await raw(emulator, "GET", `/Groups?filter=${encodeURIComponent('displayName eq "G"')}`)).status).toBe(200);
  });

  it("decodes escaped quotes and backslashes in filter values", async () => {
    await createUser(emulator, 'o"brien\\x');
    const filter = `userName eq ${JSON.stringify('o"brien\\x')}`;
    const response = await raw(emulator, "GET", `/Users?filter=${encodeURIComponent(filter)}`);
    expect(response.json).toMatchObject({ totalResults: 1 });
  });

  it("pages with startIndex and count, capped at the max page size", async () => {
    for (const name of ["a", "b", "c", "d", "e"]) await createUser(emulator, name);
    const first = (await raw(emulator, "GET", "/Users?startIndex=1&count=10")).json as {
      Resources: unknown[];
      totalResults: number;
      itemsPerPage: number;
    };
    expect(first.Resources).toHaveLength(3);
    expect(first.totalResults).toBe(5);
    const second = (await raw(emulator, "GET", "/Users?startIndex=4&count=2")).json as {
      Resources: { userName: string }[];
      startIndex: number;
    };
    expect(second.Resources.map((u) => u.userName)).toEqual(["d", "e"]);
    expect(second.startIndex).toBe(4);
  });

  it("applies PATCH replace on name, work email and active (RFC and Entra-legacy forms)", async () => {
    const id = await createUser(emulator, "ada");
    expect(
      (
        await raw(
          emulator,
          "PATCH",
          `/Users/${id}`,
          patchOp({ op: "replace", path: "name.givenName", value: "Augusta" }),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await raw(
          emulator,
          "PATCH",
          `/Users/${id}`,
          patchOp({ op: "Replace", path: 'emails[type eq "work"].value', value: "new@example.com" }),
        )
      ).status,
    ).toBe(200);
    expect(
      (await raw(emulator, "PATCH", `/Users/${id}`, patchOp({ op: "Replace", path: "active", value: "False" }))).status,
    ).toBe(200);
    const user = getUserByUserName(emulator, "ada");
    expect(user).toMatchObject({
      name: { givenName: "Augusta" },
      emails: [{ value: "new@example.com" }],
      active: false,
    });
    expect(
      (await raw(emulator, "PATCH", `/Users/${id}`, patchOp({ op: "replace", path: "active", value: true }))).status,
    ).toBe(200);
    expect(countActiveUsers(emulator)).toBe(1);
    expect(emulator.store.deactivations.map((d) => d.userName)).toEqual(["ada"]);
  });

  it("only deactivates on DELETE, and logs each deactivation once", async () => {
    const id = await createUser(emulator, "ada");
    expect((await raw(emulator, "DELETE", `/Users/${id}`)).status).toBe(204);
    expect((await raw(emulator, "DELETE", `/Users/${id}`)).status).toBe(204);
    expect(countUsers(emulator)).toBe(1);
    expect(countActiveUsers(emulator)).toBe(0);
    expect(emulator.store.deactivations).toHaveLength(1);
    expect(emulator.store.deactivations[0]?.at).toBeGreaterThan(0);
  });

  it("stores the license extension and patches it by its full path", async () => {
    const created = await raw(emulator, "POST", "/Groups", {
      schemas: [GROUP_SCHEMA, KLAXOON_GROUP_EXTENSION_URN],
      displayName: "PRO",
      [KLAXOON_GROUP_EXTENSION_URN]: { license: "true" },
    });
    expect(created.status).toBe(201);
    const id = String((created.json as { id: string }).id);
    await raw(
      emulator,
      "PATCH",
      `/Groups/${id}`,
      patchOp({ op: "replace", path: KLAXOON_LICENSE_PATH, value: "false" }),
    );
    expect(emulator.store.groups.get(id)?.[KLAXOON_GROUP_EXTENSION_URN]).toEqual({ license: "false" });
    expect(countGroups(emulator)).toBe(1);
  });

  it("adds and removes members by path filter and by value list", async () => {
    const ids = [await createUser(emulator, "a"), await createUser(emulator, "b"), await createUser(emulator, "c")];
    const group = (await raw(emulator, "POST", "/Groups", { schemas: [GROUP_SCHEMA], displayName: "G" })).json as {
      id: string;
    };
    await raw(
      emulator,
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "add", path: "members", value: ids.map((value) => ({ value })) }),
    );
    expect(countMembers(emulator, group.id)).toBe(3);
    await raw(
      emulator,
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "remove", path: `members[value eq "${ids[0]}"]` }),
    );
    await raw(
      emulator,
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "Remove", path: "members", value: [{ value: ids[2] }] }),
    );
    expect(memberIds(emulator, group.id)).toEqual([ids[1]]);
    const unknown = await raw(
      emulator,
      "PATCH",
      `/Groups/${group.id}`,
      patchOp({ op: "add", path: "members", value: [{ value: "nope" }] }),
    );
    expect(unknown.status).toBe(400);
    // Mixed with another attribute, the request goes through SCIMMY's own PatchOp.
    const mixed = await raw(
      emulator,
      "PATCH",
      `/Groups/${group.id}`,
      patchOp(
        { op: "Replace", path: "displayName", value: "G2" },
        { op: "add", path: "members", value: [{ value: ids[0] }] },
        { op: "remove", path: `members[value eq "${ids[1]}"]` },
      ),
    );
    expect(mixed.status).toBe(200);
    expect(memberIds(emulator, group.id)).toEqual([ids[0]]);
    expect(emulator.store.groups.get(group.id)?.["displayName"]).toBe("G2");
  });

  it("can require or forbid the extension URN in schemas", async () => {
    const strict = await startKlaxoonEmulator({ extensionSchemas: "forbidden" });
    try {
      const body = {
        schemas: [GROUP_SCHEMA, KLAXOON_GROUP_EXTENSION_URN],
        displayName: "G",
        [KLAXOON_GROUP_EXTENSION_URN]: { license: "true" },
      };
      expect((await raw(strict, "POST", "/Groups", body)).status).toBe(400);
      expect((await raw(strict, "POST", "/Groups", { ...body, schemas: [GROUP_SCHEMA] })).status).toBe(201);
    } finally {
      await strict.close();
    }
  });

  it("injects 429 above the rate, with Retry-After", async () => {
    emulator.faults.rateLimit = { requestsPerSecond: 2, retryAfterSeconds: 3 };
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push(await raw(emulator, "GET", "/Users"));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(statuses[2]?.headers.get("retry-after")).toBe("3");
  });

  it("injects 409 User confirmation pending, 5xx and latency, and logs every request", async () => {
    const id = await createUser(emulator, "pending-user");
    emulator.faults.setPending("Pending-User");
    const pending = await raw(
      emulator,
      "PATCH",
      `/Users/${id}`,
      patchOp({ op: "replace", path: "active", value: false }),
    );
    expect(pending.status).toBe(409);
    expect(JSON.stringify(pending.json)).toContain("User confirmation pending");
    emulator.faults.add({ method: "GET", status: 503, count: 1, latencyMs: 20 });
    expect((await raw(emulator, "GET", "/Users")).status).toBe(503);
    expect((await raw(emulator, "GET", "/Users")).status).toBe(200);
    expect(emulator.requestLog.entries.map((e) => `${e.method} ${e.status}`)).toEqual([
      "POST 201",
      "PATCH 409",
      "GET 503",
      "GET 200",
    ]);
    expect(emulator.requestLog.entries[0]?.body).toMatchObject({ userName: "pending-user" });
  });

  it("resets connections on demand", async () => {
    emulator.faults.add({ reset: true, count: 1 });
    await expect(raw(emulator, "GET", "/Users")).rejects.toThrow();
    expect((await raw(emulator, "GET", "/Users")).status).toBe(200);
  });

  it("serves /ServiceProviderConfig with its page size, or 404 when told not to", async () => {
    const config = await raw(emulator, "GET", "/ServiceProviderConfig");
    expect(config.json).toMatchObject({ filter: { supported: true, maxResults: 3 }, patch: { supported: true } });
    const bare = await startKlaxoonEmulator({ serviceProviderConfig: false });
    try {
      expect((await raw(bare, "GET", "/ServiceProviderConfig")).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
