import { afterEach, describe, expect, it } from "vitest";
import type { TargetUser } from "../../src/model/index.js";
import { countActiveUsers, getUserByUserName } from "../emulators/klaxoon/index.js";
import { startPair, userAttributes, USER_PATHS, type Pair } from "./support.js";

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("SCIM client: users", () => {
  let pair: Pair;
  afterEach(async () => pair.close());

  it("creates a user with nested name, a primary work email and the core schema", async () => {
    pair = await startPair();
    const outcome = await pair.client.createUser(userAttributes("ada@example.com"));
    expect(outcome.ok).toBe(true);
    expect(pair.emulator.requestLog.entries[0]?.body).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "ada@example.com",
      externalId: "ext-ada@example.com",
      active: true,
      name: { givenName: "Ada", familyName: "Lovelace" },
      emails: [{ type: "work", primary: true, value: "ada@example.com" }],
    });
  });

  for (const dialect of ["rfc", "entra-legacy"] as const) {
    it(`patches only the given changes, ${dialect} dialect`, async () => {
      pair = await startPair({}, { patchDialect: dialect });
      const created = await pair.client.createUser(userAttributes("ada@example.com"));
      if (!created.ok) throw new Error(created.message);
      const outcome = await pair.client.patchUser(created.value.id, [
        { op: "replace", path: "name.givenName", value: "Augusta" },
        { op: "replace", path: 'emails[type eq "work"].value', value: "augusta@example.com" },
        { op: "replace", path: "active", value: false },
      ]);
      // The emulator answers with the resource: the client says what it holds for the paths written.
      expect(outcome).toEqual({
        ok: true,
        value: undefined,
        stored: { "name.givenName": "Augusta", 'emails[type eq "work"].value': "augusta@example.com", active: false },
      });
      const legacy = dialect === "entra-legacy";
      expect(pair.emulator.requestLog.entries[1]?.body).toEqual({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [
          { op: legacy ? "Replace" : "replace", path: "name.givenName", value: "Augusta" },
          { op: legacy ? "Replace" : "replace", path: 'emails[type eq "work"].value', value: "augusta@example.com" },
          { op: legacy ? "Replace" : "replace", path: "active", value: legacy ? "False" : false },
        ],
      });
      expect(getUserByUserName(pair.emulator, "ada@example.com")).toMatchObject({
        name: { givenName: "Augusta", familyName: "Lovelace" },
        emails: [{ type: "work", value: "augusta@example.com" }],
        active: false,
      });
      expect(pair.emulator.store.deactivations.map((d) => d.userName)).toEqual(["ada@example.com"]);
      expect(countActiveUsers(pair.emulator)).toBe(0);
    });
  }

  it("sends nothing for an empty change list", async () => {
    pair = await startPair();
    expect(await pair.client.patchUser("u-1", [])).toEqual({ ok: true, value: undefined });
    expect(pair.emulator.requestLog.count()).toBe(0);
  });

  it("lists every user across pages, flattened to the requested paths", async () => {
    pair = await startPair({ maxPageSize: 7 });
    for (let i = 0; i < 20; i += 1) await pair.client.createUser(userAttributes(`user-${i}`));
    await pair.client.patchUser(String(getUserByUserName(pair.emulator, "user-3")?.["id"]), [
      { op: "replace", path: "active", value: false },
    ]);
    const users: TargetUser[] = await drain(pair.client.listUsers(USER_PATHS));
    expect(users).toHaveLength(20);
    expect(new Set(users.map((u) => u.id)).size).toBe(20);
    expect(users.find((u) => u.userName === "user-3")).toMatchObject({ active: false, attributes: { active: false } });
    expect(users[0]?.attributes).toEqual({
      userName: "user-0",
      externalId: "ext-user-0",
      active: true,
      "name.givenName": "Ada",
      "name.familyName": "Lovelace",
      'emails[type eq "work"].value': "user-0@example.com",
    });
    // The first page tells the total; the other two are asked for together.
    const pages = pair.emulator.requestLog.entries.filter((e) => e.method === "GET" && e.path === "/Users");
    expect(new Set(pages.map((e) => e.query))).toEqual(
      new Set(["startIndex=1&count=7", "startIndex=8&count=7", "startIndex=15&count=7"]),
    );
    expect(pages).toHaveLength(3);
    expect(pages[0]?.query).toBe("startIndex=1&count=7");
    expect(users.map((u) => u.userName)).toEqual(Array.from({ length: 20 }, (_, i) => `user-${i}`));
  });

  it("follows a server that sends fewer than asked, one page after another", async () => {
    pair = await startPair({ maxPageSize: 7 }, { pageSize: 10 });
    for (let i = 0; i < 20; i += 1) pair.emulator.store.seedUser({ userName: `short-${i}` });
    const users = await drain(pair.client.listUsers(["userName"]));
    expect(users.map((u) => u.userName).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `short-${i}`).sort());
    const pages = pair.emulator.requestLog.entries.filter((e) => e.method === "GET" && e.path === "/Users");
    expect(pages.map((e) => e.query)).toEqual([
      "startIndex=1&count=10",
      "startIndex=8&count=10",
      "startIndex=15&count=10",
    ]);
  });

  it("works without /ServiceProviderConfig, with the default page size", async () => {
    pair = await startPair({ serviceProviderConfig: false, maxPageSize: 1000 });
    for (let i = 0; i < 3; i += 1) pair.emulator.store.seedUser({ userName: `u${i}` });
    expect(await drain(pair.client.listUsers(["userName"]))).toHaveLength(3);
    expect(await pair.client.readServiceProviderConfig()).toBeNull();
    expect(pair.emulator.requestLog.entries.find((e) => e.path === "/Users")?.query).toBe("startIndex=1&count=100");
  });

  it("finds a user by userName, or null (Test Connection)", async () => {
    pair = await startPair();
    await pair.client.createUser(userAttributes("ada"));
    expect(await pair.client.findUserByUserName("ADA")).toMatchObject({
      ok: true,
      value: { userName: "ada", active: true },
    });
    expect(await pair.client.findUserByUserName("0d3a6a4e-5f5b-4c1e-9d8a-2b7e2f0c1a11")).toEqual({
      ok: true,
      value: null,
    });
  });
});
