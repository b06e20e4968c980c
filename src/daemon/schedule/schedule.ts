import { createTask, parse } from "node-cron";
import { ConfigError } from "../../model/index.js";

/** When the next cycle starts, given when the last one started (start to start). */
export interface Schedule {
  readonly description: string;
  nextAfter(start: Date): Date;
}

export function intervalSchedule(minutes: number): Schedule {
  return {
    description: `every ${minutes === 1 ? "minute" : `${minutes} minutes`}, start to start`,
    nextAfter: (start) => new Date(start.getTime() + minutes * 60_000),
  };
}

const SEARCH_LIMIT_MINUTES = 366 * 24 * 60;

/**
 * A node-cron expression. Cron matches clock fields, so `*\/40 * * * *` is minutes 0 and 40
 * (40, then 20 minutes apart), not "every 40 minutes". The task is never started: node-cron only
 * answers "does this instant match?" (with its time zone, `L` and day-of-week rules), and the
 * daemon's own clock does the waiting, so tests can run on a virtual clock.
 */
export function cronSchedule(expression: string, timezone?: string): Schedule {
  let seconds: number[];
  let task: ReturnType<typeof createTask>;
  try {
    seconds = [...parse(expression).second].sort((a, b) => a - b);
    task = createTask(expression, () => undefined, timezone === undefined ? {} : { timezone });
  } catch (error) {
    throw new ConfigError(
      "DAEMON_CRON_INVALID",
      `daemon.cron "${expression}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    description: `cron "${expression}"${timezone === undefined ? "" : ` (${timezone})`}`,
    nextAfter(start) {
      const minute = Math.floor(start.getTime() / 60_000) * 60_000;
      for (let step = 0; step <= SEARCH_LIMIT_MINUTES; step++) {
        for (const second of seconds) {
          const candidate = new Date(minute + step * 60_000 + second * 1000);
          if (candidate.getTime() > start.getTime() && task.match(candidate)) return candidate;
        }
      }
      throw new ConfigError("DAEMON_CRON_NEVER", `daemon.cron "${expression}" matches no time in the next year`);
    },
  };
}

export function scheduleOf(settings: {
  readonly intervalMinutes: number;
  readonly cron?: string | undefined;
  readonly timezone?: string | undefined;
}): Schedule {
  return settings.cron === undefined
    ? intervalSchedule(settings.intervalMinutes)
    : cronSchedule(settings.cron, settings.timezone);
}
