import type { Logger } from "../../log/index.js";
import type { Clock } from "../../model/index.js";
import type { Schedule } from "./schedule.js";

export interface CycleSlot {
  readonly startedAt: Date;
  /** The next start the schedule gives, measured from this start. */
  readonly nextScheduled: Date;
}

export interface SchedulerOptions {
  readonly clock: Clock;
  readonly schedule: Schedule;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly runOnStart: boolean;
  /** Overrides the first start (a quarantine retry time carried over from the last run). */
  readonly firstStartAt?: Date | undefined;
  /** Runs one cycle and answers when the next starts (the schedule's, or quarantine's); null stops. */
  readonly runOnce: (slot: CycleSlot) => Promise<Date | null>;
  /** Fills the wait before the next start (the leaver lane); returns by then at the latest. */
  readonly between?: ((until: Date) => Promise<void>) | undefined;
}

export type SchedulerStop = "aborted" | "stopped";

/**
 * One loop, one cycle at a time: the next start is awaited only after the running cycle
 * returns, so cycles never overlap. A cycle that runs past the next start makes that start
 * wait (and says so); missed starts are not caught up.
 */
export async function runScheduled(options: SchedulerOptions): Promise<SchedulerStop> {
  const { clock, schedule, logger, signal } = options;
  let next = options.firstStartAt ?? (options.runOnStart ? clock.now() : schedule.nextAfter(clock.now()));
  logger.info({ schedule: schedule.description, firstStart: next.toISOString() }, "scheduler started");
  for (;;) {
    if (options.between && !signal.aborted) await options.between(next);
    await sleepUntil(clock, next, signal);
    if (signal.aborted) return "aborted";
    const startedAt = clock.now();
    const chosen = await options.runOnce({ startedAt, nextScheduled: schedule.nextAfter(startedAt) });
    if (chosen === null) return "stopped";
    if (signal.aborted) return "aborted";
    const now = clock.now();
    if (chosen.getTime() < now.getTime()) {
      logger.warn(
        { due: chosen.toISOString(), lateMs: now.getTime() - chosen.getTime() },
        "cycle ran past the next start: that cycle waited and starts now",
      );
    } else {
      logger.debug({ next: chosen.toISOString() }, "next cycle scheduled");
    }
    next = chosen;
  }
}

/** Sleeps in steps, since a real timer cannot hold more than ~24.8 days. */
export async function sleepUntil(clock: Clock, at: Date, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const remaining = at.getTime() - clock.now().getTime();
    if (remaining <= 0) return;
    await clock.sleep(remaining, signal);
  }
}
