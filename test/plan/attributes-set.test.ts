import { describe, expect, it } from "vitest";
import { attributesSet, heldOtherwise, type PlanOperation } from "../../src/plan/index.js";

const object = { sourceId: "s1", targetId: "k1", label: "ada@contoso.com" };

describe("what an operation set, and where an answer holds otherwise", () => {
  it("a create sets its attributes, a PATCH its changes (null for a removal), a member change nothing", () => {
    const create: PlanOperation = { action: "create", kind: "user", object, attributes: { userName: "ada" } };
    const update: PlanOperation = {
      action: "update",
      kind: "user",
      object,
      changes: [
        { path: "name.givenName", from: "Ada", to: "Augusta" },
        { path: "title", from: "Countess", to: null },
      ],
    };
    const members: PlanOperation = { action: "addMembers", kind: "group", object, members: [] };
    expect(attributesSet(create)).toEqual({ userName: "ada" });
    expect(attributesSet(update)).toEqual({ "name.givenName": "Augusta", title: null });
    expect(attributesSet(members)).toBeNull();
  });

  it("keeps only the paths held otherwise, with what is held (null for nothing); values equal under SCIM rules are held", () => {
    const set = { userName: "Ada@Contoso.com", "name.givenName": "Ada", "name.familyName": "Lovelace", title: null };
    const held = { userName: "ada@contoso.com", "name.givenName": "Augusta", title: "Countess" };
    expect(heldOtherwise(set, held)).toEqual({
      "name.givenName": "Augusta",
      "name.familyName": null,
      title: "Countess",
    });
    expect(heldOtherwise({ userName: "ada" }, { userName: "ADA" })).toEqual({});
  });
});
