import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { patchOp, raw } from "../../scim/support.js";
import { KLAXOON_GROUP_EXTENSION_URN, startKlaxoonEmulator, type KlaxoonEmulator } from "./index.js";

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const LICENSE_PATH = `${KLAXOON_GROUP_EXTENSION_URN}:license`;

const ada = {
  schemas: [USER_SCHEMA],
  userName: "ada",
  externalId: "x-ada",
  active: true,
  name: { givenName: "Ada", familyName: "Lovelace" },
};

/** A server that accepts an attribute, answers success, and does not store it. */
describe("Klaxoon emulator dropping an attribute", () => {
  let emulator: KlaxoonEmulator;
  const create = async (): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await raw(emulator, "POST", "/Users", ada);
    return { status: response.status, body: response.json as Record<string, unknown> };
  };
  beforeEach(async () => {
    emulator = await startKlaxoonEmulator();
  });
  afterEach(async () => emulator.close());

  it("creates the user (201) without the dropped attribute, and says so in its answer", async () => {
    emulator.faults.dropAttribute("name.familyName");
    const { status, body } = await create();
    expect(status).toBe(201);
    expect(body["name"]).toEqual({ givenName: "Ada" });
    expect(emulator.store.findUserByUserName("ada")?.["name"]).toEqual({ givenName: "Ada" });
  });

  it("answers a PATCH of only the dropped attribute with success and keeps what it held", async () => {
    const { body } = await create();
    emulator.faults.dropAttribute("name.familyName");
    const id = String(body["id"]);
    const patched = await raw(
      emulator,
      "PATCH",
      `/Users/${id}`,
      patchOp({ op: "replace", path: "name.familyName", value: "King" }),
    );
    expect([200, 204]).toContain(patched.status);
    expect(emulator.store.users.get(id)?.["name"]).toEqual({ givenName: "Ada", familyName: "Lovelace" });
    const read = await raw(emulator, "GET", `/Users/${id}`);
    expect((read.json as { name: unknown }).name).toEqual({ givenName: "Ada", familyName: "Lovelace" });
  });

  it("applies the rest of a PATCH and answers with what it stored", async () => {
    emulator.faults.dropAttribute("name.familyName");
    const id = String((await create()).body["id"]);
    const patched = await raw(
      emulator,
      "PATCH",
      `/Users/${id}`,
      patchOp(
        { op: "replace", path: "name.givenName", value: "Augusta" },
        { op: "replace", path: "name.familyName", value: "King" },
      ),
    );
    expect(patched.status).toBe(200);
    expect((patched.json as { name: unknown }).name).toEqual({ givenName: "Augusta" });
  });

  it("drops an extension attribute of a group, and stores it again once told to keep it", async () => {
    emulator.faults.dropAttribute(LICENSE_PATH, "Groups");
    const group = {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "PRO",
      [KLAXOON_GROUP_EXTENSION_URN]: { license: "true" },
    };
    const created = await raw(emulator, "POST", "/Groups", group);
    expect(created.status).toBe(201);
    const id = String((created.json as { id: string }).id);
    expect(emulator.store.groups.get(id)?.[KLAXOON_GROUP_EXTENSION_URN]).toBeUndefined();

    emulator.faults.keepAttribute(LICENSE_PATH, "Groups");
    await raw(emulator, "PATCH", `/Groups/${id}`, patchOp({ op: "replace", path: LICENSE_PATH, value: "false" }));
    expect(emulator.store.groups.get(id)?.[KLAXOON_GROUP_EXTENSION_URN]).toEqual({ license: "false" });
  });

  it("refuses a path it cannot drop", () => {
    expect(() => emulator.faults.dropAttribute('emails[type eq "work"].value')).toThrow(/plain or extension paths/);
  });
});
