/** The text plan goes to stdout in pieces, waiting for a slow reader, and reads exactly as rendered whole. */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { reportCycle } from "../../src/cli/report-cycle.js";
import { renderPlanText } from "../../src/plan/index.js";
import { PLAN_VERSION, type Plan, type PlanOperation } from "../../src/plan/types.js";

const creates = Array.from({ length: 3_000 }, (_, i): PlanOperation => {
  const label = `user${i}@contoso.example`;
  return {
    action: "create",
    kind: "user",
    object: { sourceId: `s-${i}`, targetId: null, label },
    attributes: { userName: label, "name.givenName": `Given ${i}`, "name.familyName": `Family ${i}`, active: true },
  };
});

const plan: Plan = {
  version: PLAN_VERSION,
  createdAt: "2026-12-07T06:00:00.000Z",
  operations: creates,
  held: [],
  protected: [],
  adoptions: [],
  warnings: [],
  guard: { held: false, deactivations: 0, reason: null },
  counts: { create: creates.length },
};

/** A pipe whose reader is slow: each piece is taken a turn later, and write() asks to wait past 1 KB. */
function slowPipe(): { stream: Writable; pieces: string[] } {
  const pieces: string[] = [];
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      pieces.push(chunk.toString());
      setImmediate(callback);
    },
  });
  return { stream, pieces };
}

describe("reportCycle", () => {
  it("writes a large text plan in pieces, each after the reader drained the last, and the text is the whole plan", async () => {
    const { stream, pieces } = slowPipe();
    await reportCycle({ cycleId: "c", outcome: "dryRun", plan, report: null }, "text", undefined, stream);

    expect(pieces.join("")).toBe(`${renderPlanText(plan)}\n\nDry run: nothing was written.\n`);
    const planPieces = pieces.slice(0, -1);
    expect(planPieces.length).toBeGreaterThan(3);
    for (const piece of planPieces) expect(piece.length).toBeLessThan(70 * 1024);
  });
});
