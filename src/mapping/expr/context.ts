/** Everything an evaluation may read: the object's attributes and injected clock and randomness. */
export interface EvalContext {
  /** The source object; names are matched case-insensitively, own properties only. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The clock for Now() (UTC). */
  readonly now: () => Date;
  /** A uniform number in [0, 1) for Guid() and RandomString(). */
  readonly random: () => number;
  /**
   * SelectUniqueValue's check against the target. Without it, the first non-empty candidate
   * wins (the caller may verify uniqueness itself).
   */
  readonly isUniqueValue?: (value: string) => boolean;
}
