/**
 * Time as the Graph adapter sees it: retry waits, Retry-After dates and the periodic full read.
 * The same shape as the agent's clock, so the composition passes the one it has; tests pass a
 * recorder that does not wait, or a fixed date.
 */
export interface GraphClock {
  now(): Date;
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
}

/** The real clock; the composition passes it (adapters hold no defaults). */
export const systemGraphClock: GraphClock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
