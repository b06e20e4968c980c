import { withCause } from "./plan-resources.js";
import type { ObjectRef, PlanOperation } from "./types.js";

export interface MemberPlanInput {
  /** Group source id → source ids of its direct member users. */
  readonly desiredMembers: ReadonlyMap<string, readonly string[]>;
  readonly groups: ReadonlyMap<string, ObjectRef>;
  readonly users: ReadonlyMap<string, ObjectRef>;
  /**
   * Source ids of users that are (or are about to be) inactive in Klaxoon: kept in their groups
   * if they are there, but not added, so that memberships Klaxoon dropped on deactivation are
   * not pushed back onto an inactive account every cycle; they come back on reactivation.
   */
  readonly inactiveUsers: ReadonlySet<string>;
  /** Group target id → member target ids Klaxoon holds now. */
  readonly actualMembers: ReadonlyMap<string, readonly string[]>;
  readonly labelOfUser: (targetId: string) => string;
  /** Groups whose desired members Klaxoon was last seen to hold: a difference now is drift. */
  readonly unchanged: ReadonlySet<string>;
}

/**
 * Member changes as differences only, never the whole list: removals and additions per group.
 * Members whose account is not (and will not be) in Klaxoon are left out.
 */
export function planMembers(input: MemberPlanInput): { removals: PlanOperation[]; additions: PlanOperation[] } {
  const removals: PlanOperation[] = [];
  const additions: PlanOperation[] = [];
  for (const [groupSourceId, memberSourceIds] of input.desiredMembers) {
    const group = input.groups.get(groupSourceId);
    if (!group) continue;
    const desired = memberSourceIds.flatMap((id) => {
      const ref = input.users.get(id);
      return ref ? [ref] : [];
    });
    const actual = new Set(group.targetId === null ? [] : (input.actualMembers.get(group.targetId) ?? []));
    const desiredTargetIds = new Set(desired.flatMap((ref) => (ref.targetId === null ? [] : [ref.targetId])));
    const toAdd = desired.filter(
      (ref) =>
        (ref.targetId === null || !actual.has(ref.targetId)) &&
        !(ref.sourceId !== null && input.inactiveUsers.has(ref.sourceId)),
    );
    const toRemove = [...actual]
      .filter((id) => !desiredTargetIds.has(id))
      .map((targetId): ObjectRef => ({ sourceId: null, targetId, label: input.labelOfUser(targetId) }));
    const drift = input.unchanged.has(groupSourceId);
    if (toRemove.length > 0)
      removals.push(withCause({ action: "removeMembers", kind: "group", object: group, members: toRemove }, drift));
    if (toAdd.length > 0)
      additions.push(withCause({ action: "addMembers", kind: "group", object: group, members: toAdd }, drift));
  }
  return { removals, additions };
}
