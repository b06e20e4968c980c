/**
 * Whether a cycle left Klaxoon settled, and what the next cycle's plan would then be. Settled:
 * with Entra as this cycle read it, the next delta cycle would plan nothing. It is worked out
 * here with the same functions that cycle would run (changedWork, planCycle) on the state just
 * recorded, so a quiet cycle, which skips them, plans what they would have planned.
 */
import type { Plan } from "../../plan/index.js";
import type { AgentState, QuietRecord } from "../../state/index.js";
import type { DesiredState } from "../desired-state.js";
import { planCycle, type PlanCycleInput } from "../plan-cycle.js";
import type { QuietBasis } from "../ports.js";
import type { StateBinding } from "../state-binding.js";
import type { CycleOutcome } from "../types.js";
import {
  carriedWarnings,
  changedWork,
  fingerprintGroups,
  workSize,
  type CycleWork,
  type Fingerprints,
} from "../work/index.js";

export interface SettleInput {
  readonly cycleId: string;
  readonly outcome: CycleOutcome;
  readonly plan: Plan;
  /** The state just recorded. */
  readonly next: AgentState;
  readonly desired: DesiredState;
  /** The fingerprints the cycle planned with (the users' do not depend on links). */
  readonly fingerprints: Fingerprints;
  readonly quietBasis: QuietBasis | null;
  readonly binding: StateBinding;
  readonly planning: Omit<PlanCycleInput, "droppedAttributes">;
  readonly guard: CycleWork["guard"];
}

/** The quiet record to keep, or null when the next cycle must run in full. */
export function settledRecord(input: SettleInput): QuietRecord | null {
  const { next, desired, plan } = input;
  if (input.outcome !== "success" || input.quietBasis === null || desired.repeatable !== true) return null;
  if (plan.held.length > 0 || plan.protected.length > 0 || Object.keys(next.escrows).length > 0) return null;
  if (next.lastCycle === null) return null;
  const fingerprints = { users: input.fingerprints.users, groups: fingerprintGroups(desired, next.links.users) };
  const planned = changedWork({ desired, fingerprints, stored: next.fingerprints, links: next.links });
  if (workSize(planned) > 0) return null;
  const work: CycleWork = {
    planned,
    fingerprints,
    actual: { users: [], groups: [] },
    gone: { users: new Set(), groups: new Set() },
    guard: input.guard,
    escrows: next.escrows,
    carriedWarnings: carriedWarnings(next.warnings, planned, desired),
    steps: null,
    recording: "outcome",
  };
  const quiet = planCycle(work, desired, { ...input.planning, droppedAttributes: next.droppedAttributes });
  const { guard } = quiet;
  if (quiet.operations.length > 0 || quiet.held.length > 0 || quiet.protected.length > 0) return null;
  if (quiet.adoptions.length > 0 || guard.held || guard.deactivations !== 0 || guard.reason !== null) return null;
  return {
    binding: { ...input.binding },
    directory: { ...input.quietBasis },
    plan: {
      warnings: [...quiet.warnings],
      guard: { held: false, deactivations: 0, reason: null },
      counts: { ...quiet.counts },
    },
    settledBy: input.cycleId,
    lastCycle: next.lastCycle,
  };
}
