import { afterEach, describe, expect, it } from "vitest";
import { KLAXOON_LICENSE_PATH } from "../../src/model/index.js";
import { storedEcho } from "../../src/scim/resources/stored-echo.js";
import { startPair, userAttributes, type Pair } from "./support.js";

const FAMILY = "name.familyName";

/** A write's answer, read for what the server stored: how the agent tells a value it dropped. */
describe("SCIM client: what a write's answer says is stored", () => {
  let pair: Pair;
  afterEach(async () => pair.close());

  it("a create answers with the resource: a dropped attribute is absent from it", async () => {
    pair = await startPair();
    pair.emulator.faults.dropAttribute(FAMILY);
    const outcome = await pair.client.createUser(userAttributes("ada"));
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.stored).toMatchObject({ userName: "ada", "name.givenName": "Ada" });
    expect(outcome.stored).not.toHaveProperty(FAMILY);
  });

  it("a PATCH answered 200 says what it holds for the paths written; one answered 204 says nothing", async () => {
    pair = await startPair();
    const created = await pair.client.createUser(userAttributes("ada"));
    if (!created.ok) throw new Error(created.message);
    pair.emulator.faults.dropAttribute(FAMILY);
    const both = await pair.client.patchUser(created.value.id, [
      { op: "replace", path: "name.givenName", value: "Augusta" },
      { op: "replace", path: FAMILY, value: "King" },
    ]);
    expect(both).toEqual({ ok: true, value: undefined, stored: { "name.givenName": "Augusta", [FAMILY]: "Lovelace" } });
    // Nothing changed on the server: SCIMMY answers 204 without a body.
    const only = await pair.client.patchUser(created.value.id, [{ op: "replace", path: FAMILY, value: "King" }]);
    expect(only).toEqual({ ok: true, value: undefined });
  });

  it("a group create says what it stored of the license; without it, only the name is left and that reads like a stub", async () => {
    pair = await startPair();
    const kept = await pair.client.createGroup({ displayName: "PRO", [KLAXOON_LICENSE_PATH]: "true" }, []);
    if (!kept.ok) throw new Error(kept.message);
    expect(kept.stored).toEqual({ displayName: "PRO", [KLAXOON_LICENSE_PATH]: "true" });
    pair.emulator.faults.dropAttribute(KLAXOON_LICENSE_PATH, "Groups");
    const dropped = await pair.client.createGroup({ displayName: "Free", [KLAXOON_LICENSE_PATH]: "false" }, []);
    if (!dropped.ok) throw new Error(dropped.message);
    expect(dropped.stored).toBeUndefined();
  });

  it("a member change says nothing about attributes", async () => {
    pair = await startPair();
    const user = pair.emulator.store.seedUser({ userName: "ada" });
    const group = pair.emulator.store.seedGroup({ displayName: "PRO" });
    expect(await pair.client.changeMembers(group, { add: [user], remove: [] })).toEqual({ ok: true, value: undefined });
  });
});

describe("storedEcho", () => {
  const sent = { userName: "ada", [FAMILY]: "Lovelace", "name.givenName": "Ada" };
  const cases: readonly (readonly [string, unknown, unknown])[] = [
    ["no body (204)", undefined, undefined],
    ["an empty object", {}, undefined],
    ["the request echoed", { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [] }, undefined],
    ["a stub with only id and userName", { id: "u1", userName: "ada" }, undefined],
    [
      "the resource, one value dropped",
      { id: "u1", userName: "ada", name: { givenName: "Ada" } },
      { userName: "ada", "name.givenName": "Ada" },
    ],
    ["the resource, all kept", { id: "u1", userName: "ada", name: { givenName: "Ada", familyName: "Lovelace" } }, sent],
  ];
  it.each(cases)("%s", (_, json, expected) => {
    expect(storedEcho("user", json, sent)).toEqual(expected);
  });

  it("a removal alone: the resource without the value is an answer, not a stub", () => {
    expect(storedEcho("user", { id: "u1", userName: "ada" }, { [FAMILY]: null })).toEqual({});
  });
});
