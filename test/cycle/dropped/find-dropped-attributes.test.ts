import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { ApplyReport } from "../../../src/apply/apply-plan.js";
import type { OperationResult } from "../../../src/apply/operation-result.js";
import type { LookedUp } from "../../../src/cycle/index.js";
import { findDroppedAttributes, type ReadBackReader } from "../../../src/cycle/dropped/find-dropped-attributes.js";
import { SyncError, type FlatAttributes, type TargetGroup, type TargetUser } from "../../../src/model/index.js";
import { attributesSet, heldOtherwise } from "../../../src/plan/index.js";
import type { PlanOperation } from "../../../src/plan/types.js";

const FAMILY = "name.familyName";
const ada = { sourceId: "s1", targetId: "k1", label: "ada@contoso.com" };
const update = (changes: [string, string | null][]): PlanOperation => ({
  action: "update",
  kind: "user",
  object: ada,
  changes: changes.map(([path, to]) => ({ path, from: "x", to })),
});
/** A success; with `stored`, one whose answer said it holds that (kept as apply keeps it: the difference). */
const success = (operation: PlanOperation, stored?: FlatAttributes): OperationResult => ({
  operation,
  status: "success",
  httpStatus: null,
  message: null,
  targetId: operation.object.targetId,
  ...(stored ? { heldOtherwise: heldOtherwise(attributesSet(operation) ?? {}, stored) } : {}),
});
const reportOf = (...results: OperationResult[]): ApplyReport => ({
  results,
  created: [],
  succeeded: results.length,
  failed: 0,
  deferred: [],
  escrows: {},
});
const paths = { userPaths: ["userName", FAMILY, "name.givenName"], groupPaths: ["displayName"] };

/** Answers lookups by id from a fixed table, and counts them; or fails them all. */
class Reader implements ReadBackReader {
  readonly lookups: string[][] = [];
  readonly held: Record<string, FlatAttributes>;
  readonly failure: Error | null;
  constructor(held: Record<string, FlatAttributes>, failure: Error | null = null) {
    this.held = held;
    this.failure = failure;
  }
  async lookUpUsers(lookup: { ids: readonly string[] }): Promise<LookedUp<TargetUser>> {
    this.lookups.push([...lookup.ids]);
    if (this.failure) throw this.failure;
    const found = lookup.ids.flatMap((id) => {
      const attributes = this.held[id];
      return attributes ? [{ id, userName: "ada@contoso.com", active: true, attributes }] : [];
    });
    return { found, unreadable: [] };
  }
  async lookUpGroups(): Promise<LookedUp<TargetGroup>> {
    return { found: [], unreadable: [] };
  }
}

const find = (report: ApplyReport, reader: ReadBackReader) =>
  findDroppedAttributes(report, reader, paths, pino({ level: "silent" }));

describe("findDroppedAttributes", () => {
  it("compares the values written with what the write's answer says is stored, reading nothing", async () => {
    const reader = new Reader({});
    const dropped = await find(
      reportOf(
        success(
          update([
            ["name.givenName", "Augusta"],
            [FAMILY, "King"],
          ]),
          { "name.givenName": "Augusta" },
        ),
      ),
      reader,
    );
    expect(dropped).toEqual([
      {
        kind: "user",
        action: "update",
        sourceId: "s1",
        targetId: "k1",
        label: "ada@contoso.com",
        path: FAMILY,
        sent: "King",
        held: null,
      },
    ]);
    expect(reader.lookups).toEqual([]);
  });

  it("reads back an object whose write was answered without it (a 204), once per object", async () => {
    const reader = new Reader({ k1: { userName: "ada@contoso.com", [FAMILY]: "Lovelace" } });
    const dropped = await find(
      reportOf(
        success(update([[FAMILY, "King"]])),
        success({
          action: "reactivate",
          kind: "user",
          object: ada,
          changes: [{ path: "name.givenName", from: null, to: "Ada" }],
        }),
      ),
      reader,
    );
    expect(dropped.map((d) => [d.action, d.path, d.sent, d.held])).toEqual([
      ["update", FAMILY, "King", "Lovelace"],
      ["reactivate", "name.givenName", "Ada", null],
    ]);
    expect(reader.lookups).toEqual([["k1"]]);
  });

  it("a value stored as sent, under SCIM rules, is no drop; a removal the server kept is", async () => {
    const stored = { userName: "ADA@contoso.com", [FAMILY]: "Lovelace" };
    const op = update([
      ["userName", "ada@contoso.com"],
      [FAMILY, null],
    ]);
    expect((await find(reportOf(success(op, stored)), new Reader({}))).map((d) => [d.path, d.sent, d.held])).toEqual([
      [FAMILY, null, "Lovelace"],
    ]);
  });

  it("leaves failed writes and member changes alone", async () => {
    const reader = new Reader({});
    const failed: OperationResult = {
      operation: update([[FAMILY, "King"]]),
      status: "transient",
      httpStatus: 503,
      message: "busy",
      targetId: null,
    };
    const members = success({
      action: "addMembers",
      kind: "group",
      object: { sourceId: "g1", targetId: "kg1", label: "PRO" },
      members: [ada],
    });
    expect(await find(reportOf(failed, members), reader)).toEqual([]);
    expect(reader.lookups).toEqual([]);
  });

  it("a read-back that fails leaves the writes unchecked instead of failing the cycle", async () => {
    const reader = new Reader(
      {},
      new SyncError("KLAXOON_READ_FAILED", "Klaxoon GET /Users/k1: unavailable (transient)"),
    );
    expect(await find(reportOf(success(update([[FAMILY, "King"]]))), reader)).toEqual([]);
  });

  it("an object gone by the time it is read back tells nothing", async () => {
    expect(await find(reportOf(success(update([[FAMILY, "King"]]))), new Reader({}))).toEqual([]);
  });
});
