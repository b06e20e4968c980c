import type { CompiledMappingList, CompiledMappingSet } from "../mapping/index.js";
import type { AccountProtection } from "../model/index.js";
import { buildPlan, type DroppedAttributes, type KindInput, type Plan } from "../plan/index.js";
import type { DesiredKind, DesiredState } from "./desired-state.js";
import type { CycleWork, KindWork } from "./work/index.js";

export interface PlanCycleInput {
  readonly createdAt: Date;
  readonly protection: AccountProtection;
  readonly mappings: CompiledMappingSet;
  readonly skipOutOfScopeDeletions: boolean;
  readonly droppedAttributes: { readonly users: DroppedAttributes; readonly groups: DroppedAttributes };
}

/** The plan for a cycle's work, with the lasting warnings the work carries. */
export function planCycle(work: CycleWork, desired: DesiredState, input: PlanCycleInput): Plan {
  const { mappings } = input;
  const { planned } = work;
  const plan = buildPlan({
    createdAt: input.createdAt.toISOString(),
    users: toKindInput(desired.users, planned.users, mappings.users),
    groups: {
      ...toKindInput(desired.groups, planned.groups, mappings.groups),
      members: mappings.groupMembers ? planned.members : null,
    },
    actualUsers: work.actual.users,
    actualGroups: work.actual.groups,
    skipOutOfScopeDeletions: input.skipOutOfScopeDeletions,
    guard: work.guard,
    protection: input.protection,
    droppedAttributes: input.droppedAttributes,
  });
  return work.carriedWarnings.length === 0 ? plan : { ...plan, warnings: [...plan.warnings, ...work.carriedWarnings] };
}

/**
 * The planner's view of one kind: what the work plans, with every failure reported (of the whole
 * desired state: on demand too reports them all, as it always has).
 */
function toKindInput(kind: DesiredKind, work: KindWork, list: CompiledMappingList): KindInput {
  return {
    desired: work.desired,
    failed: kind.failed,
    outOfScope: kind.outOfScope,
    links: work.links,
    reserved: work.reserved,
    unchanged: work.unchanged,
    inactive: new Set(kind.desired.filter((d) => d.resource.attributes["active"] === false).map(sourceIdOf)),
    matchingPaths: list.matchingPaths,
    requiredPaths: list.requiredPaths,
  };
}

function sourceIdOf(object: { readonly resource: { readonly sourceId: string } }): string {
  return object.resource.sourceId;
}
