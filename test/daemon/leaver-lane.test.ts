import { describe, expect, it } from "vitest";
import type { CycleResult } from "../../src/cycle/index.js";
import { createMetrics } from "../../src/daemon/observe/metrics.js";
import { runLeaverLane } from "../../src/daemon/schedule/leaver-lane.js";
import { LANE_NEEDS_DELTA, SyncError } from "../../src/model/index.js";
import { createVirtualClock } from "../support/virtual-clock.js";
import { captureLogger } from "./support.js";
import { emptyPlan } from "../support/empty-plan.js";

const MINUTE = 60_000;

function result(): CycleResult {
  return {
    cycleId: "c",
    outcome: "success",
    plan: emptyPlan(),
    report: { results: [], created: [], succeeded: 0, failed: 0, deferred: [], escrows: {} },
  };
}

describe("the leaver lane between two regular cycles", () => {
  const start = async (options: { active?: () => boolean; pass?: () => Promise<CycleResult> }) => {
    const clock = createVirtualClock(new Date("2026-12-01T00:00:00Z"));
    const { logger, records } = captureLogger();
    const metrics = createMetrics();
    const starts: number[] = [];
    const until = new Date(clock.now().getTime() + 40 * MINUTE);
    const done = runLeaverLane(
      {
        intervalMs: 2 * MINUTE,
        runPass: async () => {
          starts.push((clock.now().getTime() - (until.getTime() - 40 * MINUTE)) / MINUTE);
          return (options.pass ?? (async () => result()))();
        },
        active: options.active ?? (() => true),
        clock,
        logger,
        signal: new AbortController().signal,
        graceMs: 1000,
        metrics,
      },
      until,
    );
    await done;
    return { starts, records, metrics };
  };

  it("runs a pass every interval and stops before the regular cycle's start", async () => {
    const { starts, metrics } = await start({});
    expect(starts).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38]);
    expect(await metrics.render()).toContain('entra_klaxoon_sync_leaver_lane_passes_total{outcome="success"} 19');
  });

  it("runs no pass while quarantined or disabled", async () => {
    const { starts } = await start({ active: () => false });
    expect(starts).toEqual([]);
  });

  it("a pass without a usable delta checkpoint is skipped, another failure is a warning; neither stops the lane", async () => {
    let n = 0;
    const { starts, records, metrics } = await start({
      pass: async () => {
        n += 1;
        if (n === 1) throw new SyncError(LANE_NEEDS_DELTA, "no checkpoint yet");
        if (n === 2) throw new SyncError("KLAXOON_UNAUTHORIZED", "401");
        return result();
      },
    });
    expect(starts).toHaveLength(19);
    const text = await metrics.render();
    expect(text).toContain('entra_klaxoon_sync_leaver_lane_passes_total{outcome="skipped"} 1');
    expect(text).toContain('entra_klaxoon_sync_leaver_lane_passes_total{outcome="error"} 1');
    expect(records.filter((r) => r["msg"] === "leaver lane: pass failed")).toEqual([
      expect.objectContaining({ level: 40, code: "KLAXOON_UNAUTHORIZED" }),
    ]);
  });
});
