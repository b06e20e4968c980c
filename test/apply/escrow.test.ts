import { describe, expect, it } from "vitest";
import { nextEscrows, splitByEscrow } from "../../src/apply/escrow.js";
import type { OperationResult } from "../../src/apply/operation-result.js";
import type { PlanOperation } from "../../src/plan/types.js";

const create = (userName: string): PlanOperation => ({
  action: "create",
  kind: "user",
  object: { sourceId: `s-${userName}`, targetId: null, label: userName },
  attributes: { userName },
});
const failed = (operation: PlanOperation, status: OperationResult["status"]): OperationResult => ({
  operation,
  status,
  httpStatus: status === "invalid" ? 400 : 503,
  message: "no",
  targetId: null,
});
const t0 = new Date("2026-01-01T00:00:00Z");
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

describe("escrow", () => {
  it("retries a transient failure in the next two cycles, then waits longer each time", () => {
    const op = create("ada");
    let escrows = nextEscrows({}, [op], [failed(op, "transient")], t0);
    expect(splitByEscrow([op], escrows, minutes(40)).due).toEqual([op]);
    escrows = nextEscrows(escrows, [op], [failed(op, "transient")], minutes(40));
    escrows = nextEscrows(escrows, [op], [failed(op, "transient")], minutes(80));
    const entry = Object.values(escrows)[0];
    expect(entry?.attempts).toBe(3);
    expect(splitByEscrow([op], escrows, minutes(81)).deferred).toHaveLength(1);
    expect(splitByEscrow([op], escrows, minutes(86)).due).toEqual([op]);
  });

  it("does not resend a change the server rejected as invalid, until the change changes", () => {
    const op = create("ada");
    const escrows = nextEscrows({}, [op], [failed(op, "invalid")], t0);
    expect(splitByEscrow([op], escrows, minutes(10_000)).deferred).toHaveLength(1);
    const edited: PlanOperation = {
      action: "create",
      kind: "user",
      object: op.object,
      attributes: { userName: "ada", "name.givenName": "Ada" },
    };
    expect(splitByEscrow([edited], escrows, minutes(1)).due).toEqual([edited]);
  });

  it("clears an entry on success and drops entries for changes no longer planned", () => {
    const ada = create("ada");
    const bob = create("bob");
    const escrows = nextEscrows({}, [ada, bob], [failed(ada, "pending"), failed(bob, "throttled")], t0);
    expect(Object.keys(escrows)).toHaveLength(2);
    const after = nextEscrows(
      escrows,
      [ada],
      [{ operation: ada, status: "success", httpStatus: null, message: null, targetId: "k1" }],
      minutes(40),
    );
    expect(after).toEqual({});
  });
});
