import { describe, expect, it } from "vitest";
import { groupSchema, resourceSchema, userSchema } from "../../src/scim/resources/wire.js";
import { KLAXOON_GROUP_EXTENSION, KLAXOON_LICENSE_PATH } from "../../src/model/index.js";
import { buildCreateBody } from "../../src/scim/resources/build-resource.js";
import { flattenResource } from "../../src/scim/resources/flatten.js";
import { buildMemberChangeBody, buildPatchBody, chunkMemberChange } from "../../src/scim/resources/patch-body.js";

describe("flat ⇄ wire", () => {
  it("builds a nested create body; nulls are left out", () => {
    expect(
      buildCreateBody(
        "user",
        { userName: "a", "name.givenName": "A", 'emails[type eq "work"].value': "a@x", "name.familyName": null },
        true,
      ),
    ).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "a",
      name: { givenName: "A" },
      emails: [{ type: "work", primary: true, value: "a@x" }],
    });
  });

  it("puts extension attributes under their URN, listing it in schemas only when asked", () => {
    const listed = buildCreateBody("group", { displayName: "G", [KLAXOON_LICENSE_PATH]: "false" }, true);
    expect(listed).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", KLAXOON_GROUP_EXTENSION],
      displayName: "G",
      [KLAXOON_GROUP_EXTENSION]: { license: "false" },
    });
    expect(buildCreateBody("group", { displayName: "G", [KLAXOON_LICENSE_PATH]: "false" }, false)["schemas"]).toEqual([
      "urn:ietf:params:scim:schemas:core:2.0:Group",
    ]);
  });

  it("flattens a resource to the requested paths, case-insensitively, skipping what is absent", () => {
    const resource = {
      id: "1",
      UserName: "a",
      active: "False",
      name: { givenName: "A" },
      emails: [
        { type: "home", value: "h@x" },
        { type: "Work", value: "w@x" },
      ],
      [KLAXOON_GROUP_EXTENSION]: { license: "true" },
    };
    expect(
      flattenResource(resource, [
        "userName",
        "active",
        "name.givenName",
        "name.familyName",
        'emails[type eq "work"].value',
        KLAXOON_LICENSE_PATH,
      ]),
    ).toEqual({
      userName: "a",
      active: false,
      "name.givenName": "A",
      'emails[type eq "work"].value': "w@x",
      [KLAXOON_LICENSE_PATH]: "true",
    });
  });

  it("writes PATCH operations in both dialects", () => {
    const changes = [
      { op: "replace", path: "active", value: true },
      { op: "add", path: KLAXOON_LICENSE_PATH, value: "true" },
      { op: "remove", path: "name.familyName" },
    ] as const;
    expect(buildPatchBody(changes, "rfc").Operations).toEqual([
      { op: "replace", path: "active", value: true },
      { op: "add", path: KLAXOON_LICENSE_PATH, value: "true" },
      { op: "remove", path: "name.familyName" },
    ]);
    expect(buildPatchBody(changes, "entra-legacy").Operations).toEqual([
      { op: "Replace", path: "active", value: "True" },
      { op: "Add", path: KLAXOON_LICENSE_PATH, value: "true" },
      { op: "Remove", path: "name.familyName" },
    ]);
  });

  it("escapes member ids inside member filters", () => {
    expect(buildMemberChangeBody({ add: [], remove: ['a"b'] }, "rfc").Operations).toEqual([
      { op: "remove", path: 'members[value eq "a\\"b"]' },
    ]);
    expect(buildMemberChangeBody({ add: ["1", "2"], remove: [] }, "entra-legacy").Operations).toEqual([
      { op: "Add", path: "members", value: [{ value: "1" }, { value: "2" }] },
    ]);
    expect(buildMemberChangeBody({ add: ["3"], remove: ["4"] }, "entra-legacy").Operations).toEqual([
      { op: "Remove", path: "members", value: [{ value: "4" }] },
      { op: "Add", path: "members", value: [{ value: "3" }] },
    ]);
  });

  it("chunks a member change by member count, removals first", () => {
    expect(chunkMemberChange({ add: ["a1", "a2", "a3"], remove: ["r1", "r2"] }, 2)).toEqual([
      { remove: ["r1", "r2"], add: [] },
      { remove: [], add: ["a1", "a2"] },
      { remove: [], add: ["a3"] },
    ]);
    expect(chunkMemberChange({ add: ["a1"], remove: ["r1"] }, 100)).toEqual([{ remove: ["r1"], add: ["a1"] }]);
  });
});

describe("resource ids from Klaxoon", () => {
  it('refuses "." and ".." (they would change a request path even percent-encoded)', () => {
    for (const id of [".", ".."]) {
      expect(userSchema.safeParse({ id, userName: "ada" }).success, id).toBe(false);
      expect(groupSchema.safeParse({ id, displayName: "PRO" }).success, id).toBe(false);
      expect(resourceSchema.safeParse({ id }).success, id).toBe(false);
    }
    expect(userSchema.safeParse({ id: "..u", userName: "ada" }).success).toBe(true);
  });
});
