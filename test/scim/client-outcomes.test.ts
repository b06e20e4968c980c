import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FatalError } from "../../src/model/index.js";
import { createScimClient } from "../../src/scim/index.js";
import { scimSettings } from "../support/adapter-settings.js";
import { startPair, userAttributes, USER_PATHS, type Pair } from "./support.js";
import { systemClock } from "../../src/model/index.js";

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("SCIM client outcomes", () => {
  let pair: Pair;
  afterEach(async () => pair.close());

  it("success: a create returns the new id", async () => {
    pair = await startPair();
    const outcome = await pair.client.createUser(userAttributes("ada"));
    expect(outcome).toMatchObject({ ok: true, value: { id: expect.any(String) } });
  });

  it("throttled: a 429 that outlives the retries", async () => {
    pair = await startPair({}, { maxRetries: 2 });
    pair.emulator.faults.add({ status: 429 });
    const outcome = await pair.client.createUser(userAttributes("ada"));
    expect(outcome).toMatchObject({ ok: false, kind: "throttled", status: 429 });
    expect(pair.emulator.requestLog.count()).toBe(3);
  });

  it("transient: 5xx retried a bounded number of times, then reported", async () => {
    pair = await startPair({}, { maxRetries: 3 });
    pair.emulator.faults.add({ status: 503 });
    expect(await pair.client.patchUser("u-1", [{ op: "replace", path: "active", value: false }])).toMatchObject({
      ok: false,
      kind: "transient",
      status: 503,
    });
    expect(pair.emulator.requestLog.count()).toBe(4);
  });

  it("transient failures that clear are retried to success", async () => {
    pair = await startPair({}, { maxRetries: 3 });
    pair.emulator.faults.add({ method: "POST", status: 502, count: 2 });
    expect(await pair.client.createUser(userAttributes("ada"))).toMatchObject({ ok: true });
    // After the first 502 the client looks whether the create landed (GET 200, empty) before sending it again.
    expect(pair.emulator.requestLog.entries.map((e) => `${e.method} ${e.status}`)).toEqual([
      "POST 502",
      "GET 200",
      "POST 502",
      "POST 201",
    ]);
  });

  it("transient: connection resets and timeouts", async () => {
    pair = await startPair({}, { maxRetries: 1, timeoutMs: 150 });
    // Every request is reset: the POST, the look-up of whether it landed (and its retry), the POST again (and its retry).
    pair.emulator.faults.add({ reset: true, count: 10 });
    expect(await pair.client.createUser(userAttributes("ada"))).toMatchObject({
      ok: false,
      kind: "transient",
      status: null,
    });
    pair.emulator.faults.clear();
    pair.emulator.faults.add({ latencyMs: 400 });
    expect(await pair.client.createUser(userAttributes("bob"))).toMatchObject({
      ok: false,
      kind: "transient",
      status: null,
    });
  });

  it("a create whose response was lost is found before it is sent again", async () => {
    pair = await startPair();
    pair.emulator.faults.add({ method: "POST", dropResponse: true, count: 1 });
    const outcome = await pair.client.createUser(userAttributes("ada"));
    expect(outcome).toEqual({ ok: true, value: { id: pair.emulator.store.findUserByUserName("ada")?.["id"] } });
    expect(pair.emulator.requestLog.entries.map((e) => `${e.method} ${e.status}`)).toEqual(["POST 0", "GET 200"]);
  });

  it("a group create whose response was lost is adopted, not made twice (Klaxoon need not keep names unique)", async () => {
    pair = await startPair();
    pair.emulator.faults.add({ method: "POST", dropResponse: true, count: 1 });
    const outcome = await pair.client.createGroup({ displayName: "Klaxoon PRO", externalId: "g1" }, []);
    expect(pair.emulator.store.groups.size).toBe(1);
    expect(outcome).toMatchObject({ ok: true, value: { id: [...pair.emulator.store.groups.keys()][0] } });
    expect(pair.emulator.requestLog.entries.map((e) => `${e.method} ${e.status}`)).toEqual(["POST 0", "GET 200"]);
  });

  it("conflict: 409 uniqueness on a taken userName", async () => {
    pair = await startPair();
    await pair.client.createUser(userAttributes("ada"));
    const outcome = await pair.client.createUser(userAttributes("ADA"));
    expect(outcome).toMatchObject({ ok: false, kind: "conflict", status: 409 });
    expect(pair.emulator.requestLog.count((e) => e.method === "POST")).toBe(2);
  });

  it("pending: 409 User confirmation pending, not retried", async () => {
    pair = await startPair();
    const created = await pair.client.createUser(userAttributes("pro@elsewhere.com"));
    if (!created.ok) throw new Error("create failed");
    pair.emulator.faults.setPending("pro@elsewhere.com");
    const outcome = await pair.client.patchUser(created.value.id, [
      { op: "replace", path: "name.givenName", value: "X" },
    ]);
    expect(outcome).toMatchObject({ ok: false, kind: "pending", status: 409 });
    expect(pair.emulator.requestLog.count((e) => e.method === "PATCH")).toBe(1);
  });

  it("invalid: a 400 is never retried", async () => {
    pair = await startPair();
    const group = await pair.client.createGroup({ displayName: "G" }, []);
    if (!group.ok) throw new Error("create failed");
    const outcome = await pair.client.changeMembers(group.value.id, { add: ["no-such-user"], remove: [] });
    expect(outcome).toMatchObject({ ok: false, kind: "invalid", status: 400 });
    expect(pair.emulator.requestLog.count((e) => e.method === "PATCH")).toBe(1);
  });

  it("invalid: an attribute path the adapter cannot express is refused before sending", async () => {
    pair = await startPair();
    expect(await pair.client.createUser({ userName: "a", "emails[type ne 1]": "x" })).toMatchObject({
      ok: false,
      kind: "invalid",
      status: null,
    });
    expect(pair.emulator.requestLog.count()).toBe(0);
  });

  it("unauthorized: a wrong token, and the token never appears in messages", async () => {
    pair = await startPair();
    const settings = scimSettings({ tenantUrl: pair.emulator.url, token: "wrong-secret-token-123" });
    const client = createScimClient(settings, { clock: systemClock });
    try {
      const outcome = await client.createUser(userAttributes("ada"));
      expect(outcome).toMatchObject({ ok: false, kind: "unauthorized", status: 401 });
      expect(JSON.stringify(outcome)).not.toContain("wrong-secret-token-123");
      const error = await drain(client.listUsers(USER_PATHS)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FatalError);
      expect(error).toMatchObject({ code: "KLAXOON_UNAUTHORIZED" });
      expect(String(error)).not.toContain("wrong-secret-token-123");
    } finally {
      await client.close();
    }
  });

  it("fatal: a 404 on the collection (wrong Tenant URL)", async () => {
    pair = await startPair();
    const settings = scimSettings({ tenantUrl: `${pair.emulator.url}/nope`, token: pair.emulator.token });
    const client = createScimClient(settings, { clock: systemClock });
    try {
      expect(await client.createUser(userAttributes("ada"))).toMatchObject({ ok: false, kind: "fatal", status: 404 });
      await expect(drain(client.listGroups([]))).rejects.toMatchObject({ code: "KLAXOON_UNEXPECTED_RESPONSE" });
    } finally {
      await client.close();
    }
  });

  it("invalid: a 404 on one resource (gone since the plan was made)", async () => {
    pair = await startPair();
    expect(await pair.client.patchUser("u-999999", [{ op: "replace", path: "active", value: false }])).toMatchObject({
      ok: false,
      kind: "invalid",
      status: 404,
    });
  });

  it("fatal: a response larger than the cap", async () => {
    pair = await startPair({}, { maxResponseBytes: 2_000 });
    for (let i = 0; i < 20; i += 1)
      pair.emulator.store.seedUser({
        userName: `user-${i}`,
        emails: [{ type: "work", value: `user-${i}@example.com` }],
      });
    await expect(drain(pair.client.listUsers(USER_PATHS))).rejects.toThrow(/larger than the allowed maximum/);
  });

  it("fatal: a body that is not JSON", async () => {
    pair = await startPair();
    const server = createServer((_req, res) =>
      res.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>"),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = createScimClient(scimSettings({ tenantUrl: `http://127.0.0.1:${port}/scim`, token: "t" }), {
      clock: systemClock,
    });
    try {
      expect(await client.createUser(userAttributes("ada"))).toMatchObject({ ok: false, kind: "fatal", status: 200 });
      await expect(drain(client.listUsers([]))).rejects.toBeInstanceOf(FatalError);
    } finally {
      await client.close();
      server.closeAllConnections();
      server.close();
    }
  });
});
