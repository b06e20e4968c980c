import type { CycleWork } from "./work/index.js";

/**
 * A leaver-lane pass honours the escrow (a deactivation waiting for its retry waits) and records
 * only links: the regular cycle's delta checkpoint stays, so it still sees every change.
 */
export function laneWork(work: CycleWork): CycleWork {
  return { ...work, carriedWarnings: [], recording: "linksOnly" };
}
