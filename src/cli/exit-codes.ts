/** Exit codes for one-shot runs; documented in the README ("Exit codes"). */
export const EXIT = {
  success: 0,
  /** A bug or an unclassified failure: the message says what happened. */
  unexpected: 1,
  config: 2,
  /** Credentials refused, an endpoint unreachable, the target not SCIM-compliant. */
  fatal: 3,
  /** The cycle ran, but some operations failed and will be retried next cycle. */
  partialFailure: 4,
  /** The deletion guard held deactivations back; an administrator must allow them. */
  guardHeld: 5,
  /**
   * Provision on demand (`sync --user` / `--group`) found nothing to provision: no such object
   * among those assigned to the app (Graph has none, or it is not assigned), or one out of scope
   * that Klaxoon holds nothing of. The steps printed say which. `explain` exits 6 too for an
   * object Graph did not return and the agent does not manage.
   */
  onDemandNotProvisioned: 6,
  /** `apply` refused the plan file (stale, edited, another format version): nothing was written. */
  planRefused: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
