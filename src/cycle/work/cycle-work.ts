import type { Escrows } from "../../apply/index.js";
import type { TargetGroup, TargetUser } from "../../model/index.js";
import type { GuardSettings, PlanWarning } from "../../plan/index.js";
import type { Fingerprints } from "./fingerprints.js";
import type { OnDemandStep } from "./on-demand-types.js";
import type { Work } from "./select-objects.js";

/**
 * How a cycle's outcome goes into the state: everything it learnt (links, fingerprints, escrows,
 * warnings, the new directory checkpoint), or only the links it made (on demand, so the next
 * cycle still sees every change it did not plan).
 */
export type Recording = "outcome" | "linksOnly";

/**
 * What one cycle works on, in one shape whatever the mode: a delta cycle's changed objects, a
 * full reconciliation, or one object on demand (a narrowing of either). The cycle plans, applies
 * and records from this alone, so it has no branch of its own for any mode.
 */
export interface CycleWork {
  /** What the planner plans, per kind, with the members of the groups planned. */
  readonly planned: Work;
  /** The fingerprints the work was chosen with (the record keeps the users', see record/). */
  readonly fingerprints: Fingerprints;
  /** What Klaxoon holds that the plan is made against. */
  readonly actual: { readonly users: TargetUser[]; readonly groups: TargetGroup[] };
  /** Linked Klaxoon ids looked for and not found (deleted in Klaxoon): their links go. */
  readonly gone: { readonly users: ReadonlySet<string>; readonly groups: ReadonlySet<string> };
  readonly guard: GuardSettings;
  /** The escrows applying honours and updates. */
  readonly escrows: Escrows;
  /** Lasting warnings of objects still desired and not planned this time (see carry-warnings.ts). */
  readonly carriedWarnings: readonly PlanWarning[];
  /** On demand: what happened to the object at each step before applying; otherwise null. */
  readonly steps: readonly OnDemandStep[] | null;
  readonly recording: Recording;
}
