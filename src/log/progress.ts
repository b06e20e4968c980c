import type { Logger } from "pino";

export interface ProgressSink {
  start(total: number): void;
  tick(): void;
  finish(): void;
}

/**
 * Progress of a long apply: at a terminal, one line rewritten in place (done / total, rate,
 * ETA); in JSON logs, a progress record every few seconds. Never both.
 */
export function createProgress(
  logger: Logger,
  terminal: NodeJS.WriteStream | null,
  now: () => number = Date.now,
  everyMs = 5_000,
): ProgressSink {
  let total = 0;
  let done = 0;
  let startedAt = 0;
  let lastReport = 0;
  const line = (): string => {
    const seconds = Math.max((now() - startedAt) / 1000, 0.001);
    const rate = done / seconds;
    const eta = rate > 0 ? Math.round((total - done) / rate) : null;
    return `${done}/${total} operations, ${rate.toFixed(1)}/s${eta === null ? "" : `, ETA ${eta}s`}`;
  };
  return {
    start(count) {
      total = count;
      done = 0;
      startedAt = now();
      lastReport = startedAt;
    },
    tick() {
      done += 1;
      if (terminal) {
        // Erase what was there (a longer line, or nothing when a log line came in between) and redraw.
        terminal.write(`\r\u001b[K${line()}`);
      } else if (now() - lastReport >= everyMs) {
        lastReport = now();
        logger.info({ progress: { done, total } }, line());
      }
    },
    finish() {
      if (terminal && total > 0) terminal.write("\n");
    },
  };
}
