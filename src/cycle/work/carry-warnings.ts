/**
 * Warnings outlive the cycle that found them. A delta cycle plans only changed objects, so a
 * user skipped for an empty required attribute (or a duplicate key) is not looked at again until
 * it changes; its warning would vanish from the summary and /metrics while the problem stays.
 * The state keeps each object's warnings; a cycle that does not plan the object again repeats
 * them (marked with when they were first found), one that plans it replaces them with its own.
 */
import type { Plan, PlanWarning } from "../../plan/index.js";
import type { AgentState } from "../../state/index.js";
import type { DesiredState } from "../desired-state.js";
import type { Work } from "./select-objects.js";

type StoredWarnings = AgentState["warnings"];

/** The stored warnings of objects still desired and not planned this cycle. */
export function carriedWarnings(stored: StoredWarnings, work: Work, desired: DesiredState): PlanWarning[] {
  const planned = { user: idsOf(work.users.desired), group: idsOf(work.groups.desired) };
  const wanted = { user: idsOf(desired.users.desired), group: idsOf(desired.groups.desired) };
  return Object.values(stored).filter((w) => wanted[w.kind].has(w.sourceId) && !planned[w.kind].has(w.sourceId));
}

/** What the state keeps: every warning about an Entra object, with when it was first found. */
export function warningsToKeep(plan: Plan): StoredWarnings {
  const kept: StoredWarnings = {};
  for (const warning of plan.warnings) {
    // Mapping failures are found afresh every cycle.
    if (warning.sourceId === undefined || warning.code === "MAPPING_FAILED") continue;
    const { sourceId, kind, code } = warning;
    kept[`${kind}:${sourceId}:${code}`] = { ...warning, sourceId, since: warning.since ?? plan.createdAt };
  }
  return kept;
}

function idsOf(objects: readonly { readonly resource: { readonly sourceId: string } }[]): Set<string> {
  return new Set(objects.map((o) => o.resource.sourceId));
}
