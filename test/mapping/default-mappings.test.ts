import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { mappingsSchema } from "../../src/config/schema.js";
import { compileMappings, mapResource, userSourceView, groupSourceView } from "../../src/mapping/index.js";
import type { DirectoryUser } from "../../src/model/index.js";

const definition = mappingsSchema.parse(parse(await readFile("config/klaxoon.mappings.yaml", "utf8")));
const mappings = compileMappings(definition, "mappings");
const runtime = { now: () => new Date("2026-01-01T00:00:00Z"), random: () => 0.5 };

function mapUser(attributes: Record<string, unknown>, softDeleted = false) {
  const user: DirectoryUser = { id: "0f1e", attributes: { accountEnabled: true, ...attributes }, softDeleted };
  const outcome = mapResource("user", user.id, "u", userSourceView(user, [], []), mappings.users, runtime);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.resource.attributes;
}

describe("the default Klaxoon mappings", () => {
  const ada = {
    userPrincipalName: "ada@contoso.com",
    mail: "Ada@contoso.com",
    mailNickname: "ada",
    givenName: "Ada",
    surname: "Lovelace",
  };

  it("map an enabled user to Klaxoon's attributes", () => {
    expect(mapUser(ada)).toEqual({
      userName: "ada@contoso.com",
      'emails[type eq "work"].value': "Ada@contoso.com",
      externalId: "ada",
      "name.givenName": "Ada",
      "name.familyName": "Lovelace",
      active: true,
    });
  });

  it.each([
    ["disabled", { accountEnabled: false }, false, false],
    ["soft-deleted", {}, true, false],
    ["enabled", {}, false, true],
  ])("set active for a %s user", (_, extra, softDeleted, active) => {
    expect(mapUser({ ...ada, ...extra }, softDeleted)["active"]).toBe(active);
  });

  it("strip a guest's #EXT# UPN like Entra", () => {
    expect(mapUser({ ...ada, userPrincipalName: "ada_fabrikam.com#EXT#@contoso.onmicrosoft.com" })["userName"]).toBe(
      "ada@fabrikam.com",
    );
  });

  it("give the license only to the PRO group", () => {
    const license = (displayName: string) => {
      const outcome = mapResource(
        "group",
        "g1",
        displayName,
        groupSourceView({ id: "g1", attributes: { displayName }, memberUserIds: [] }),
        mappings.groups,
        runtime,
      );
      if (!outcome.ok) throw new Error(outcome.reason);
      return outcome.resource.attributes;
    };
    expect(license("Klaxoon PRO")).toMatchObject({
      displayName: "Klaxoon PRO",
      externalId: "g1",
      "urn:ietf:params:scim:schemas:extension:klaxoon:2.0:Group:license": "true",
    });
    expect(license("Everyone")["urn:ietf:params:scim:schemas:extension:klaxoon:2.0:Group:license"]).toBe("false");
  });
});

describe("clearing values (beyond Entra, per mapping)", () => {
  const list = (clearWhenEmpty: boolean | undefined) =>
    compileMappings(
      {
        users: [
          { target: "userName", direct: "userPrincipalName", apply: "always", matchingPrecedence: 1 },
          { target: "name.givenName", direct: "givenName", apply: "always", clearWhenEmpty },
        ],
        groups: [],
        groupMembers: false,
      },
      "m",
    ).users;
  const map = (clearWhenEmpty: boolean | undefined) => {
    const user: DirectoryUser = {
      id: "1",
      attributes: { userPrincipalName: "a@b.c", givenName: "" },
      softDeleted: false,
    };
    const outcome = mapResource("user", "1", "a", userSourceView(user, [], []), list(clearWhenEmpty), runtime);
    if (!outcome.ok) throw new Error(outcome.reason);
    return outcome.resource.attributes;
  };

  it("clears the target when the source becomes empty, by default", () => {
    expect(map(undefined)).toEqual({ userName: "a@b.c", "name.givenName": null });
  });

  it("leaves the target alone, like Entra, when clearWhenEmpty is false", () => {
    expect(map(false)).toEqual({ userName: "a@b.c" });
  });
});

describe("required attributes (from the mappings, not from the cycle)", () => {
  it("are the five Klaxoon requires of a user in the shipped mappings, and a group's displayName", () => {
    const klaxoonRequires = [
      "userName",
      'emails[type eq "work"].value',
      "externalId",
      "name.givenName",
      "name.familyName",
    ];
    expect(mappings.users.requiredPaths).toEqual(klaxoonRequires);
    expect(mappings.groups.requiredPaths).toEqual(["displayName"]);
  });

  it("are only what a mapping marks, besides userName (always required)", () => {
    const list = (required: boolean | undefined) =>
      compileMappings(
        {
          users: [
            { target: "userName", direct: "userPrincipalName", apply: "always", matchingPrecedence: 1 },
            { target: "name.givenName", direct: "givenName", apply: "always", required },
            { target: "externalId", direct: "mailNickname", apply: "always" },
          ],
          groups: [],
          groupMembers: false,
        },
        "m",
      ).users;
    expect(list(true).requiredPaths).toEqual(["userName", "name.givenName"]);
    expect(list(undefined).requiredPaths).toEqual(["userName"]);
    expect(list(false).requiredPaths).toEqual(["userName"]);
  });

  it("are accepted by the mappings schema and left out of a definition that does not set them", () => {
    const parsed = mappingsSchema.parse({
      users: [
        { target: "userName", direct: "userPrincipalName", required: true },
        { target: "externalId", direct: "mailNickname" },
      ],
    });
    expect(parsed.users[0]?.required).toBe(true);
    // Not defaulted: the rules digest of a mappings file without `required` stays what it was.
    expect(parsed.users[1]).not.toHaveProperty("required");
  });
});
