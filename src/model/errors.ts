/**
 * The one base error class. Every error we raise on purpose carries a stable `code`
 * (SCREAMING_SNAKE, never renamed once shipped) so the top-level catch in main.ts can map
 * error classes to exit codes and users can search for them.
 */
export class SyncError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A user's mistake in configuration (file, key, expression, filter): exit code 2. */
export class ConfigError extends SyncError {}

/** The agent cannot go on (credentials refused, endpoint unreachable, non-compliant target). */
export class FatalError extends SyncError {}

/** The code of a leaver-lane pass that found no usable delta checkpoint: skipped, not failed. */
export const LANE_NEEDS_DELTA = "LANE_NEEDS_DELTA";

/** A reviewed plan that `apply` will not write (stale, edited, another format): nothing was written. */
export class PlanRefusedError extends SyncError {}
