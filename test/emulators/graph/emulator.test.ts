import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateTenant } from "../../fixtures/tenant.js";
import { accessToken as token } from "./http-client.js";
import { startGraphEmulator, type GraphEmulator } from "./index.js";

interface Page {
  value: Record<string, unknown>[];
  "@odata.nextLink"?: string;
  "@odata.deltaLink"?: string;
}

describe("Graph emulator wire behaviour", () => {
  let emu: GraphEmulator;
  let get: (url: string) => Promise<{ status: number; body: Record<string, unknown> }>;
  const readAll = async (
    url: string,
  ): Promise<{ items: Record<string, unknown>[]; deltaLink?: string; pages: number }> => {
    const items: Record<string, unknown>[] = [];
    let next: string | undefined = url;
    let pages = 0;
    let deltaLink: string | undefined;
    while (next) {
      const { body } = await get(next);
      const page = body as unknown as Page;
      items.push(...page.value);
      pages += 1;
      next = page["@odata.nextLink"];
      deltaLink = page["@odata.deltaLink"] ?? deltaLink;
    }
    return deltaLink === undefined ? { items, pages } : { items, deltaLink, pages };
  };

  beforeEach(async () => {
    emu = await startGraphEmulator({ tenant: generateTenant({ seed: 4, users: 25, groups: 4 }) });
    const bearer = await token(emu);
    get = async (url) => {
      const response = await fetch(url.startsWith("https://") ? url : `${emu.url}${url}`, {
        headers: { Authorization: `Bearer ${bearer}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
  });
  afterEach(async () => {
    await emu.close();
  });

  it("wrong secret answers 401 invalid_client with an AADSTS code", async () => {
    const response = await fetch(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: emu.clientId,
        client_secret: "wrong",
        scope: "x/.default",
      }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
  });

  it("pages users with $top and an opaque $skiptoken, each user once", async () => {
    const { items, pages } = await readAll("/v1.0/users?$select=id,userPrincipalName&$top=7");
    expect(pages).toBe(4);
    expect(new Set(items.map((u) => u.id)).size).toBe(25);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(["id", "userPrincipalName"]);
  });

  it("rejects $top above 999 and unknown $select properties with 400", async () => {
    expect((await get("/v1.0/users?$top=1000")).status).toBe(400);
    expect((await get("/v1.0/users?$select=nope")).body).toMatchObject({ error: { code: "Request_BadRequest" } });
  });

  it("finds the service principal by filter, by id and by appId key", async () => {
    const filtered = await get(`/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${emu.appId}'`)}`);
    expect((filtered.body.value as unknown[]).length).toBe(1);
    expect((await get(`/v1.0/servicePrincipals/${emu.servicePrincipalId}`)).body.appId).toBe(emu.appId);
    expect((await get(`/v1.0/servicePrincipals(appId='${emu.appId}')`)).body.id).toBe(emu.servicePrincipalId);
    expect((await get(`/v1.0/servicePrincipals/00000000-0000-0000-0000-00000000dead`)).status).toBe(404);
  });

  it("refuses a $batch of more than 20 requests, and answers each item with its own status", async () => {
    const bearer = await token(emu);
    const post = (requests: unknown[]) =>
      fetch(`${emu.url}/v1.0/$batch`, {
        method: "POST",
        headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
        body: JSON.stringify({ requests }),
      });
    const tooMany = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/users?$top=1" }));
    expect((await post(tooMany)).status).toBe(400);
    emu.faults.add({ scope: "inner", status: 429, retryAfter: 7, count: 1 });
    const response = await post([
      { id: "a", method: "GET", url: "/users?$top=1" },
      { id: "b", method: "GET", url: "/users/missing" },
    ]);
    const body = (await response.json()) as {
      responses: { id: string; status: number; headers: Record<string, string> }[];
    };
    expect(response.status).toBe(200);
    expect(body.responses.map((r) => [r.id, r.status])).toEqual([
      ["a", 429],
      ["b", 404],
    ]);
    expect(body.responses[0]?.headers["Retry-After"]).toBe("7");
  });

  it("lists direct members with @odata.type, devices and service principals included", async () => {
    const group = emu.store.listGroups()[0];
    const { items } = await readAll(`/v1.0/groups/${group?.id ?? ""}/members?$select=id,userPrincipalName`);
    const types = new Set(items.map((m) => m["@odata.type"]));
    expect(types).toEqual(
      new Set([
        "#microsoft.graph.user",
        "#microsoft.graph.group",
        "#microsoft.graph.device",
        "#microsoft.graph.servicePrincipal",
      ]),
    );
  });

  it("answers an empty list (200, no nextLink) while an emptyList rule is set", async () => {
    emu.faults.add({ path: "/v1.0/users", emptyList: true, count: 1 });
    const empty = await get("/v1.0/users");
    expect(empty.status).toBe(200);
    expect(empty.body["value"]).toEqual([]);
    expect(empty.body["@odata.nextLink"]).toBeUndefined();
    expect(((await get("/v1.0/users")).body["value"] as unknown[]).length).toBeGreaterThan(0);
  });

  it("fails the Nth matching request permanently, or only once, as asked", async () => {
    emu.faults.add({ path: "/v1.0/users", status: 503, nth: 2, permanent: true });
    expect((await get("/v1.0/users")).status).toBe(200);
    expect((await get("/v1.0/users")).status).toBe(503);
    expect((await get("/v1.0/users")).status).toBe(503);
    emu.faults.clear();
    emu.faults.add({ path: "/v1.0/users", status: 500, nth: 1 });
    expect((await get("/v1.0/users")).status).toBe(500);
    expect((await get("/v1.0/users")).status).toBe(200);
    expect(emu.requestLog.countsByPath()["GET /v1.0/users"]).toBe(5);
  });

  it("answers 403 when the app lacks the permission", async () => {
    emu.admin.setPermissions(emu.clientId, ["Application.Read.All"]);
    expect((await get("/v1.0/users")).body).toMatchObject({ error: { code: "Authorization_RequestDenied" } });
  });

  describe("delta queries", () => {
    it("a first round pages every user and ends with a deltaLink; later rounds carry only changes and @removed", async () => {
      const first = await readAll("/v1.0/users/delta?$select=id,displayName,accountEnabled");
      expect(first.items).toHaveLength(25);
      expect(first.deltaLink).toBeDefined();
      const [a, b, c] = emu.store.listUsers();
      emu.admin.disableUser(a?.id ?? "");
      emu.admin.softDeleteUser(b?.id ?? "");
      emu.admin.hardDeleteUser(c?.id ?? "");
      const added = emu.admin.addUser({ displayName: "Zoë Ångström" });
      const second = await readAll(first.deltaLink ?? "");
      expect(second.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: a?.id, accountEnabled: false }),
          { id: b?.id, "@removed": { reason: "changed" } },
          { id: c?.id, "@removed": { reason: "deleted" } },
          expect.objectContaining({ id: added.id, displayName: "Zoë Ångström" }),
        ]),
      );
      expect(second.items).toHaveLength(4);
      emu.admin.restoreUser(b?.id ?? "");
      const third = await readAll(second.deltaLink ?? "");
      expect(third.items).toEqual([expect.objectContaining({ id: b?.id, displayName: b?.displayName })]);
    });

    it("group delta carries members@delta, with removed members marked", async () => {
      const first = await readAll("/v1.0/groups/delta?$select=displayName,members");
      const group = emu.store.listGroups()[1];
      const firstGroup = first.items.find((g) => g.id === group?.id);
      expect(firstGroup?.["members@delta"]).toHaveLength(group?.members.size ?? -1);
      const user = emu.store.listUsers()[5]?.id ?? "";
      const removed = [...(group?.members ?? [])][0] ?? "";
      emu.admin.addMember(group?.id ?? "", user);
      emu.admin.removeMember(group?.id ?? "", removed);
      const second = await readAll(first.deltaLink ?? "");
      expect(second.items).toHaveLength(1);
      expect(second.items[0]?.["members@delta"]).toEqual(
        expect.arrayContaining([
          { "@odata.type": "#microsoft.graph.user", id: user },
          expect.objectContaining({ id: removed, "@removed": { reason: "deleted" } }),
        ]),
      );
    });

    it("$deltatoken=latest returns no objects, only a deltaLink from now", async () => {
      const latest = await readAll("/v1.0/users/delta?$deltatoken=latest");
      expect(latest.items).toHaveLength(0);
      const added = emu.admin.addUser();
      const next = await readAll(latest.deltaLink ?? "");
      expect(next.items.map((u) => u.id)).toEqual([added.id]);
    });

    it("an expired delta token answers 410 syncStateNotFound", async () => {
      const first = await readAll("/v1.0/users/delta");
      emu.admin.expireDeltaTokens();
      const answer = await get(first.deltaLink ?? "");
      expect(answer.status).toBe(410);
      expect(answer.body).toMatchObject({ error: { code: "syncStateNotFound" } });
    });
  });
});
