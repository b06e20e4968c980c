import { describe, expect, it } from "vitest";
import type { DesiredState } from "../../../src/cycle/desired-state.js";
import type { DroppedAttribute } from "../../../src/cycle/dropped/find-dropped-attributes.js";
import { recordDroppedAttributes } from "../../../src/cycle/dropped/record-dropped-attributes.js";
import type { FlatAttributes } from "../../../src/model/index.js";
import { digestValue } from "../../../src/plan/index.js";

const FAMILY = "name.familyName";

function desired(users: Record<string, FlatAttributes>): DesiredState {
  const objects = Object.entries(users).map(([sourceId, attributes]) => ({
    resource: { kind: "user" as const, sourceId, label: sourceId, attributes, createOnly: {}, matchKeys: [] },
  }));
  return {
    users: { desired: objects, outOfScope: new Set(), failed: [] },
    groups: { desired: [], outOfScope: new Set(), failed: [] },
    members: new Map(),
  };
}

const drop = (sourceId: string, path: string, sent: string): DroppedAttribute => ({
  kind: "user",
  action: "create",
  sourceId,
  targetId: `k-${sourceId}`,
  label: sourceId,
  path,
  sent,
  held: null,
});
const empty = { users: {}, groups: {} };

describe("recordDroppedAttributes", () => {
  it("records a drop as the digest of the value sent", () => {
    const next = recordDroppedAttributes(
      empty,
      [drop("s1", FAMILY, "Lovelace")],
      desired({ s1: { [FAMILY]: "Lovelace" } }),
    );
    expect(next).toEqual({ users: { s1: { [FAMILY]: digestValue(FAMILY, "Lovelace") } }, groups: {} });
  });

  it("keeps a record while the desired value is the one dropped", () => {
    const previous = { users: { s1: { [FAMILY]: digestValue(FAMILY, "Lovelace") } }, groups: {} };
    expect(recordDroppedAttributes(previous, [], desired({ s1: { [FAMILY]: "Lovelace" } }))).toEqual(previous);
  });

  it("forgets it when the value changes in Entra, or the object is no longer desired", () => {
    const previous = {
      users: { s1: { [FAMILY]: digestValue(FAMILY, "Lovelace") }, s2: { [FAMILY]: digestValue(FAMILY, "Hopper") } },
      groups: {},
    };
    expect(recordDroppedAttributes(previous, [], desired({ s1: { [FAMILY]: "King" } }))).toEqual(empty);
  });

  it("replaces the record of a value sent again and dropped again, and keeps the object's other paths", () => {
    const previous = {
      users: { s1: { [FAMILY]: digestValue(FAMILY, "Lovelace"), externalId: digestValue("externalId", "ada") } },
      groups: {},
    };
    const next = recordDroppedAttributes(
      previous,
      [drop("s1", FAMILY, "King")],
      desired({ s1: { [FAMILY]: "King", externalId: "ada" } }),
    );
    expect(next.users).toEqual({
      s1: { [FAMILY]: digestValue(FAMILY, "King"), externalId: digestValue("externalId", "ada") },
    });
  });

  it("does not keep a drop of a value sent only on create: it is never sent again anyway", () => {
    expect(
      recordDroppedAttributes(empty, [drop("s1", "externalId", "ada")], desired({ s1: { [FAMILY]: "Lovelace" } })),
    ).toEqual(empty);
  });
});
