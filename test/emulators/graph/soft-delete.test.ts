import { afterEach, describe, expect, it } from "vitest";
import { generateTenant } from "../../fixtures/tenant.js";
import { emulatorClient, type EmulatorClient } from "./http-client.js";
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from "./index.js";
import type { SoftDeleteMembership } from "./settings.js";

/** Soft delete, restore and hard delete of users and groups, as Graph shows them over HTTP. */
describe("Graph emulator: deleted users and groups", () => {
  let emu: GraphEmulator;
  let client: EmulatorClient;

  const start = async (options: GraphEmulatorOptions = {}): Promise<void> => {
    emu = await startGraphEmulator({ tenant: generateTenant({ seed: 7, users: 0, groups: 0 }), ...options });
    client = await emulatorClient(emu);
  };
  afterEach(async () => {
    await emu.close();
  });

  const addUser = (nick: string) =>
    emu.admin.addUser({ userPrincipalName: `${nick}@contoso.example`, displayName: nick });
  const rewritten = (id: string, upn: string): string => `${id.replaceAll("-", "")}${upn}`;
  const memberIds = async (groupId: string): Promise<unknown[]> =>
    (await client.readAll(`/v1.0/groups/${groupId}/members`)).items.map((m) => m["id"]);

  describe("userPrincipalName while in deleted items", () => {
    it("is rewritten to <id without dashes><UPN> in deleted items, and the original comes back on restore", async () => {
      await start();
      const ada = addUser("ada");
      emu.admin.softDeleteUser(ada.id);

      expect((await client.get(`/v1.0/users/${ada.id}`)).status).toBe(404);
      expect((await client.get("/v1.0/users/ada@contoso.example")).status).toBe(404);
      const deleted = await client.get(
        `/v1.0/directory/deletedItems/${ada.id}?$select=id,userPrincipalName,deletedDateTime`,
      );
      expect(deleted.status).toBe(200);
      expect(deleted.body).toMatchObject({
        "@odata.type": "#microsoft.graph.user",
        id: ada.id,
        userPrincipalName: rewritten(ada.id, "ada@contoso.example"),
        deletedDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });

      emu.admin.restoreUser(ada.id);
      expect((await client.get("/v1.0/users/ada@contoso.example?$select=id,userPrincipalName")).body).toMatchObject({
        id: ada.id,
        userPrincipalName: "ada@contoso.example",
      });
      expect((await client.get(`/v1.0/directory/deletedItems/${ada.id}`)).status).toBe(404);
      expect((await client.readAll("/v1.0/directory/deletedItems/microsoft.graph.user")).items).toEqual([]);
    });

    it("lists deleted users through the microsoft.graph.user cast, paged, with the rewritten UPN", async () => {
      await start();
      const users = ["ada", "bo", "cy"].map(addUser);
      for (const user of users) emu.admin.softDeleteUser(user.id);
      const listed = await client.readAll(
        "/v1.0/directory/deletedItems/microsoft.graph.user?$select=id,userPrincipalName&$top=2",
      );
      expect(listed.pages).toBe(2);
      expect(listed.items).toEqual(
        users.map((u) => ({ id: u.id, userPrincipalName: rewritten(u.id, String(u.userPrincipalName)) })),
      );
      expect((await client.get("/v1.0/directory/deletedItems")).status).toBe(400);
    });

    it("refuses a restore onto a UPN another user took meanwhile", async () => {
      await start();
      const ada = addUser("ada");
      emu.admin.softDeleteUser(ada.id);
      addUser("ada");
      expect(() => emu.admin.restoreUser(ada.id)).toThrow(/now belongs to/);
    });

    it("needs User.Read.All for a deleted user", async () => {
      await start({ permissions: ["Application.Read.All", "GroupMember.Read.All"] });
      const ada = addUser("ada");
      emu.admin.softDeleteUser(ada.id);
      expect((await client.get(`/v1.0/directory/deletedItems/${ada.id}`)).body).toMatchObject({
        error: { code: "Authorization_RequestDenied" },
      });
    });
  });

  describe("a soft-deleted user's users/delta entry", () => {
    const softDeleteBetweenRounds = async (): Promise<{ id: string; entries: Record<string, unknown>[] }> => {
      const ada = addUser("ada");
      const first = await client.readAll("/v1.0/users/delta?$select=id,displayName,userPrincipalName");
      emu.admin.softDeleteUser(ada.id);
      return { id: ada.id, entries: (await client.readAll(first.deltaLink ?? "")).items };
    };

    it("is only the id and @removed: changed by default", async () => {
      await start();
      const { id, entries } = await softDeleteBetweenRounds();
      expect(entries).toEqual([{ id, "@removed": { reason: "changed" } }]);
    });

    it("also carries the selected properties, rewritten UPN included, with softDeletedUserDelta: withProperties", async () => {
      await start({ softDeletedUserDelta: "withProperties" });
      const { id, entries } = await softDeleteBetweenRounds();
      expect(entries).toEqual([
        {
          id,
          displayName: "ada",
          userPrincipalName: rewritten(id, "ada@contoso.example"),
          "@removed": { reason: "changed" },
        },
      ]);
    });

    it("follows the switch changed at run time, and a restored user comes back without annotation", async () => {
      await start();
      const ada = addUser("ada");
      const first = await client.readAll("/v1.0/users/delta?$select=userPrincipalName");
      emu.admin.softDeleteUser(ada.id);
      emu.admin.setSoftDeletedUserDelta("withProperties");
      const second = await client.readAll(first.deltaLink ?? "");
      expect(second.items).toEqual([
        { id: ada.id, userPrincipalName: rewritten(ada.id, "ada@contoso.example"), "@removed": { reason: "changed" } },
      ]);
      emu.admin.restoreUser(ada.id);
      expect((await client.readAll(second.deltaLink ?? "")).items).toEqual([
        { id: ada.id, userPrincipalName: "ada@contoso.example" },
      ]);
    });
  });

  describe("groups/delta and member listings around a soft delete", () => {
    const setUp = async (mode: SoftDeleteMembership) => {
      await start({ softDeleteMembership: mode });
      const [ada, bo] = [addUser("ada"), addUser("bo")];
      const one = emu.admin.addGroup({ displayName: "One", memberIds: [ada.id, bo.id] });
      const two = emu.admin.addGroup({ displayName: "Two", memberIds: [ada.id] });
      const first = await client.readAll("/v1.0/groups/delta?$select=displayName,members");
      return { ada, bo, one, two, deltaLink: first.deltaLink ?? "" };
    };

    it("reported: soft delete shows the user leaving every group, restore shows it coming back", async () => {
      const { ada, one, two, deltaLink } = await setUp("reported");
      emu.admin.softDeleteUser(ada.id);
      const removed = await client.readAll(deltaLink);
      expect(removed.items).toEqual(
        expect.arrayContaining(
          [one.id, two.id].map((id) =>
            expect.objectContaining({
              id,
              "members@delta": [
                { "@odata.type": "#microsoft.graph.user", id: ada.id, "@removed": { reason: "deleted" } },
              ],
            }),
          ),
        ),
      );
      expect(removed.items).toHaveLength(2);
      expect(await memberIds(one.id)).not.toContain(ada.id);

      emu.admin.restoreUser(ada.id);
      const restored = await client.readAll(removed.deltaLink ?? "");
      expect(restored.items.map((g) => g["members@delta"])).toEqual([
        [{ "@odata.type": "#microsoft.graph.user", id: ada.id }],
        [{ "@odata.type": "#microsoft.graph.user", id: ada.id }],
      ]);
      expect(await memberIds(one.id)).toContain(ada.id);
    });

    it("silent: no group change for a soft delete or a restore, yet the user leaves the member listings and comes back", async () => {
      const { ada, bo, one, two, deltaLink } = await setUp("silent");
      emu.admin.softDeleteUser(ada.id);
      const removed = await client.readAll(deltaLink);
      expect(removed.items).toEqual([]);
      expect(await memberIds(one.id)).toEqual([bo.id]);
      expect(await memberIds(two.id)).toEqual([]);

      emu.admin.restoreUser(ada.id);
      expect((await client.readAll(removed.deltaLink ?? "")).items).toEqual([]);
      expect(await memberIds(one.id)).toEqual([ada.id, bo.id]);
      expect(await memberIds(two.id)).toEqual([ada.id]);
    });

    it("a full groups/delta round lists only members that exist now", async () => {
      const { ada, bo, one } = await setUp("silent");
      emu.admin.softDeleteUser(ada.id);
      const full = await client.readAll("/v1.0/groups/delta?$select=displayName,members");
      expect(full.items.find((g) => g["id"] === one.id)?.["members@delta"]).toEqual([
        { "@odata.type": "#microsoft.graph.user", id: bo.id },
      ]);
    });

    it("switches at run time over the HTTP admin API, and refuses an unknown mode", async () => {
      await start({ httpAdmin: true });
      expect((await client.admin("setSoftDeleteMembership", "silent")).status).toBe(200);
      expect((await client.admin("setSoftDeletedUserDelta", "withProperties")).status).toBe(200);
      expect((await client.admin("getSettings")).body).toEqual({
        result: { softDeleteMembership: "silent", softDeletedUserDelta: "withProperties" },
      });
      expect((await client.admin("setSoftDeleteMembership", "loud")).status).toBe(400);
      expect(emu.admin.getSettings().softDeleteMembership).toBe("silent");
    });
  });

  describe.each<SoftDeleteMembership>(["reported", "silent"])("hard delete (%s)", (mode) => {
    it.each([
      ["a soft-deleted user", true],
      ["a live user", false],
    ])("of %s: users delta says deleted, its groups report it leaving, it is nowhere", async (_label, softFirst) => {
      await start({ softDeleteMembership: mode });
      const [ada, bo] = [addUser("ada"), addUser("bo")];
      const group = emu.admin.addGroup({ memberIds: [ada.id, bo.id] });
      emu.admin.assign(ada.id);
      if (softFirst) emu.admin.softDeleteUser(ada.id);
      const users = await client.readAll("/v1.0/users/delta?$deltatoken=latest");
      const groups = await client.readAll("/v1.0/groups/delta?$deltatoken=latest&$select=displayName,members");
      emu.admin.hardDeleteUser(ada.id);

      expect((await client.readAll(users.deltaLink ?? "")).items).toEqual([
        { id: ada.id, "@removed": { reason: "deleted" } },
      ]);
      const groupRound = await client.readAll(groups.deltaLink ?? "");
      expect(groupRound.items).toEqual([
        expect.objectContaining({
          id: group.id,
          "members@delta": [{ "@odata.type": "#microsoft.graph.user", id: ada.id, "@removed": { reason: "deleted" } }],
        }),
      ]);
      expect((await client.get(`/v1.0/users/${ada.id}`)).status).toBe(404);
      expect((await client.get(`/v1.0/directory/deletedItems/${ada.id}`)).status).toBe(404);
      expect(await memberIds(group.id)).toEqual([bo.id]);
      expect(emu.store.listAssignments().some((a) => a.principalId === ada.id)).toBe(false);
    });
  });

  describe("group delete", () => {
    it("a security group is gone for good: @removed deleted, 404, and its parent reports the nested group leaving", async () => {
      await start();
      const child = emu.admin.addGroup({ displayName: "Child", memberIds: [addUser("ada").id] });
      const parent = emu.admin.addGroup({ displayName: "Parent", memberIds: [child.id] });
      const first = await client.readAll("/v1.0/groups/delta?$select=displayName,members");
      emu.admin.deleteGroup(child.id);

      const round = await client.readAll(first.deltaLink ?? "");
      expect(round.items).toEqual(
        expect.arrayContaining([
          { id: child.id, "@removed": { reason: "deleted" } },
          expect.objectContaining({
            id: parent.id,
            "members@delta": [
              { "@odata.type": "#microsoft.graph.group", id: child.id, "@removed": { reason: "deleted" } },
            ],
          }),
        ]),
      );
      expect(round.items).toHaveLength(2);
      expect((await client.get(`/v1.0/groups/${child.id}`)).status).toBe(404);
      expect((await client.get(`/v1.0/groups/${child.id}/members`)).status).toBe(404);
      expect((await client.get(`/v1.0/directory/deletedItems/${child.id}`)).status).toBe(404);
      expect(await memberIds(parent.id)).toEqual([]);
    });

    it("a Microsoft 365 group goes to deleted items (@removed changed) and a restore brings it back with its members", async () => {
      await start({ permissions: ["Application.Read.All", "User.Read.All", "Group.Read.All"] });
      const ada = addUser("ada");
      const team = emu.admin.addGroup({
        displayName: "Team",
        groupTypes: ["Unified"],
        securityEnabled: false,
        mailEnabled: true,
        memberIds: [ada.id],
      });
      emu.admin.assign(team.id);
      const first = await client.readAll("/v1.0/groups/delta?$select=displayName,members");
      emu.admin.deleteGroup(team.id);

      const round = await client.readAll(first.deltaLink ?? "");
      expect(round.items).toEqual([{ id: team.id, "@removed": { reason: "changed" } }]);
      expect((await client.get(`/v1.0/groups/${team.id}`)).status).toBe(404);
      expect(
        (await client.get(`/v1.0/directory/deletedItems/${team.id}?$select=id,displayName,deletedDateTime`)).body,
      ).toMatchObject({
        "@odata.type": "#microsoft.graph.group",
        id: team.id,
        displayName: "Team",
        deletedDateTime: expect.any(String),
      });
      expect((await client.readAll("/v1.0/directory/deletedItems/microsoft.graph.group?$select=id")).items).toEqual([
        { id: team.id },
      ]);
      expect(emu.store.listAssignments().some((a) => a.principalId === team.id)).toBe(false);

      emu.admin.restoreGroup(team.id);
      const back = await client.readAll(round.deltaLink ?? "");
      expect(back.items).toEqual([
        { id: team.id, displayName: "Team", "members@delta": [{ "@odata.type": "#microsoft.graph.user", id: ada.id }] },
      ]);
      expect(await memberIds(team.id)).toEqual([ada.id]);
      expect(emu.store.listAssignments().some((a) => a.principalId === team.id)).toBe(true);

      emu.admin.deleteGroup(team.id);
      emu.admin.hardDeleteGroup(team.id);
      expect((await client.readAll(back.deltaLink ?? "")).items).toEqual([
        { id: team.id, "@removed": { reason: "deleted" } },
      ]);
      expect((await client.get(`/v1.0/directory/deletedItems/${team.id}`)).status).toBe(404);
    });
  });
});
