import type { CycleResult } from "../../cycle/index.js";
import type { Logger } from "../../log/index.js";
import { type Clock, LANE_NEEDS_DELTA, SyncError } from "../../model/index.js";
import type { DaemonMetrics } from "../observe/metrics.js";
import { runWithGrace } from "./run-guarded.js";
import { sleepUntil } from "./scheduler.js";

export interface LeaverLane {
  readonly intervalMs: number;
  /** One pass: a delta round, then only deactivations and member removals (cycle/lane-work.ts). */
  readonly runPass: (signal: AbortSignal) => Promise<CycleResult>;
  /** False while quarantined or disabled: the lane stops with the regular cycles. */
  readonly active: () => boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly graceMs: number;
  readonly metrics?: DaemonMetrics | undefined;
}

/**
 * The time between two regular cycles, filled with leaver-lane passes every `intervalMs` while
 * a pass can start and still leave room before `until`: the regular cycle always comes first,
 * and passes never overlap it or each other (they run in this one loop, on the daemon's lock).
 */
export async function runLeaverLane(lane: LeaverLane, until: Date): Promise<void> {
  const { clock, signal } = lane;
  for (;;) {
    const next = new Date(clock.now().getTime() + lane.intervalMs);
    if (next.getTime() >= until.getTime()) return;
    await sleepUntil(clock, next, signal);
    if (signal.aborted) return;
    if (lane.active()) await runPass(lane);
  }
}

async function runPass(lane: LeaverLane): Promise<void> {
  const { logger } = lane;
  const startedAt = lane.clock.now();
  const guarded = await runWithGrace(lane.runPass, {
    shutdown: lane.signal,
    graceMs: lane.graceMs,
    clock: lane.clock,
    logger,
  });
  const ms = lane.clock.now().getTime() - startedAt.getTime();
  if (guarded.status === "abandoned") return;
  if (guarded.status === "failed") {
    const { error } = guarded;
    if (error instanceof SyncError && error.code === LANE_NEEDS_DELTA) {
      lane.metrics?.countLanePass("skipped");
      logger.info({ reason: error.message }, "leaver lane: pass skipped until the next regular cycle");
      return;
    }
    lane.metrics?.countLanePass("error");
    // The next regular cycle meets the same cause and decides on quarantine, as it always does.
    logger.warn(
      {
        code: error instanceof SyncError ? error.code : "UNEXPECTED",
        error: error instanceof Error ? error.message : String(error),
        ms,
      },
      "leaver lane: pass failed",
    );
    return;
  }
  const result = guarded.value;
  lane.metrics?.countLanePass(result.outcome);
  for (const r of result.report?.results ?? [])
    lane.metrics?.countObject(r.operation.kind, r.operation.action, r.status);
  const fields = {
    outcome: result.outcome,
    operations: result.plan.operations.length,
    held: result.plan.held.length,
    ms,
  };
  if (result.outcome === "held")
    logger.warn({ ...fields, reason: result.plan.guard.reason }, "leaver lane: the deletion guard holds");
  else if (result.plan.operations.length > 0) logger.info(fields, "leaver lane: leavers deactivated or removed");
  else logger.debug(fields, "leaver lane: no leavers");
}
