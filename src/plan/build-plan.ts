import { type AccountProtection, NO_PROTECTION, type TargetGroup, type TargetUser } from "../model/index.js";
import type { DroppedAttributes } from "./dropped-attributes.js";
import { evaluateGuard, type GuardSettings } from "./guard.js";
import { planMembers } from "./plan-members.js";
import { planResources, type DesiredObject } from "./plan-resources.js";
import { withholdProtected } from "./protect.js";
import { TargetIndex } from "./target-index.js";
import { PLAN_VERSION, type ObjectRef, type Plan, type PlanOperation, type PlanWarning } from "./types.js";

export interface MappingFailure {
  readonly sourceId: string;
  readonly label: string;
  readonly reason: string;
}

export interface KindInput {
  readonly desired: readonly DesiredObject[];
  /** Objects whose mapping failed this cycle: reported, and their accounts left as they are. */
  readonly failed: readonly MappingFailure[];
  readonly outOfScope: ReadonlySet<string>;
  readonly links: ReadonlyMap<string, string>;
  readonly matchingPaths: readonly string[];
  readonly requiredPaths: readonly string[];
  /**
   * Linked objects left out of this plan because nothing changed for them (a delta cycle plans
   * only what changed): still desired, still managed, their accounts taken. Source id → ref.
   */
  readonly reserved?: ReadonlyMap<string, ObjectRef>;
  /** Objects whose desired state Klaxoon was last seen to match: any change planned is drift. */
  readonly unchanged?: ReadonlySet<string>;
  /** Source ids of every desired user that should be inactive, planned or reserved (default: from `desired`). */
  readonly inactive?: ReadonlySet<string>;
}

export interface PlanInput {
  /** Passed in: the planner never reads the clock. */
  readonly createdAt: string;
  readonly users: KindInput;
  readonly groups: KindInput & {
    /** Group source id → direct member user source ids; null when members are not provisioned. */
    readonly members: ReadonlyMap<string, readonly string[]> | null;
  };
  readonly actualUsers: readonly TargetUser[];
  readonly actualGroups: readonly TargetGroup[];
  readonly skipOutOfScopeDeletions: boolean;
  readonly guard: GuardSettings;
  /** `protect:` rules: accounts never changed, deactivated or removed from a group (default: none). */
  readonly protection?: AccountProtection;
  /** Attributes the target is known to drop (the state's record): not sent again while their desired value is unchanged. */
  readonly droppedAttributes?: { readonly users: DroppedAttributes; readonly groups: DroppedAttributes };
}

/**
 * Desired × actual × links → Plan. Pure: no I/O, no clock, inputs untouched.
 * Order: users first (groups reference them), member removals before additions,
 * deactivations last.
 */
export function buildPlan(input: PlanInput): Plan {
  const userIndex = new TargetIndex(input.actualUsers, input.users.matchingPaths);
  const reservedUsers = input.users.reserved ?? new Map<string, ObjectRef>();
  const users = planResources({
    kind: "user",
    ...input.users,
    reserved: reservedUsers,
    unchanged: input.users.unchanged ?? new Set(),
    dropped: input.droppedAttributes?.users ?? {},
    failedSourceIds: new Set(input.users.failed.map((f) => f.sourceId)),
    skipOutOfScopeDeletions: input.skipOutOfScopeDeletions,
    targets: userIndex,
    labelOf: (user: TargetUser) => user.userName,
  });
  const groups = planResources({
    kind: "group",
    ...input.groups,
    reserved: input.groups.reserved ?? new Map(),
    unchanged: input.groups.unchanged ?? new Set(),
    dropped: input.droppedAttributes?.groups ?? {},
    failedSourceIds: new Set(input.groups.failed.map((f) => f.sourceId)),
    skipOutOfScopeDeletions: input.skipOutOfScopeDeletions,
    targets: new TargetIndex(input.actualGroups, input.groups.matchingPaths),
    labelOf: (group: TargetGroup) => group.displayName,
  });
  const members =
    input.groups.members === null
      ? { removals: [], additions: [] }
      : planMembers({
          desiredMembers: input.groups.members,
          groups: groups.resolved,
          users: new Map([...reservedUsers, ...users.resolved]),
          inactiveUsers: input.users.inactive ?? inactiveIn(input.users.desired),
          actualMembers: new Map(input.actualGroups.map((g) => [g.id, g.memberIds])),
          labelOfUser: labelsOfUsers(userIndex, reservedUsers),
          unchanged: input.groups.unchanged ?? new Set(),
        });

  const guarded = withholdProtected(
    [...users.operations, ...members.removals],
    userIndex,
    input.protection ?? NO_PROTECTION,
  );
  const deactivations = guarded.kept.filter((op) => op.action === "deactivate");
  const guard = evaluateGuard(input.guard, {
    deactivations: deactivations.length,
    managedAccounts: input.users.links.size + reservedUsers.size,
    desiredUsers: input.users.desired.length + reservedUsers.size,
  });
  const operations: PlanOperation[] = [
    ...guarded.kept.filter((op) => op.kind === "user" && op.action !== "deactivate"),
    ...groups.operations,
    ...guarded.kept.filter((op) => op.action === "removeMembers"),
    ...members.additions,
    ...(guard.held ? [] : deactivations),
  ];
  const held = guard.held ? deactivations : [];
  return {
    version: PLAN_VERSION,
    createdAt: input.createdAt,
    operations,
    held,
    protected: guarded.withheld,
    adoptions: [...users.adoptions, ...groups.adoptions],
    warnings: [
      ...mappingWarnings("user", input.users.failed),
      ...mappingWarnings("group", input.groups.failed),
      ...users.warnings,
      ...groups.warnings,
      ...guarded.warnings,
    ],
    guard,
    counts: countOperations(operations, held, guarded.withheld.length),
  };
}

function inactiveIn(desired: readonly DesiredObject[]): Set<string> {
  return new Set(desired.filter((d) => d.resource.attributes["active"] === false).map((d) => d.resource.sourceId));
}

/** A member's label: its userName when read this cycle, else its Entra label, else its id. */
function labelsOfUsers(
  index: TargetIndex<TargetUser>,
  reserved: ReadonlyMap<string, ObjectRef>,
): (targetId: string) => string {
  let byTarget: Map<string, string> | null = null;
  return (targetId) => {
    const read = index.byId.get(targetId)?.userName;
    if (read !== undefined) return read;
    byTarget ??= new Map([...reserved.values()].map((ref) => [ref.targetId ?? "", ref.label]));
    return byTarget.get(targetId) ?? targetId;
  };
}

function mappingWarnings(kind: "user" | "group", failures: readonly MappingFailure[]): PlanWarning[] {
  return failures.map((f) => ({
    code: "MAPPING_FAILED",
    kind,
    label: f.label,
    message: `${f.reason}; the object is left as it is`,
    sourceId: f.sourceId,
  }));
}

function countOperations(
  operations: readonly PlanOperation[],
  held: readonly PlanOperation[],
  withheld: number,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of operations) {
    const key = `${op.kind}.${op.action}`;
    counts[key] = (counts[key] ?? 0) + 1;
    if (op.drift) counts["drift"] = (counts["drift"] ?? 0) + 1;
  }
  if (held.length > 0) counts["user.deactivate.held"] = held.length;
  if (withheld > 0) counts["protected"] = withheld;
  return counts;
}
