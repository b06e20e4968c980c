import type { DesiredObject, ObjectRef } from "../../plan/index.js";
import type { DesiredKind, DesiredState } from "../desired-state.js";
import { DEPARTED, type Fingerprints } from "./fingerprints.js";
import type { TargetLookup } from "../ports.js";

type Links = Readonly<Record<string, string>>;
type Prints = ReadonlyMap<string, string>;

/** What the planner sees of one resource kind this cycle. */
export interface KindWork {
  /** The desired objects to plan. */
  readonly desired: readonly DesiredObject[];
  /** Links of the objects planned, departed ones included (their accounts may need deactivating). */
  readonly links: ReadonlyMap<string, string>;
  /** Linked, still desired, unchanged objects left out of the plan: their accounts are taken. */
  readonly reserved: ReadonlyMap<string, ObjectRef>;
  /** Planned objects whose desired state Klaxoon was last seen to match (a change now is drift). */
  readonly unchanged: ReadonlySet<string>;
}

export interface Work {
  readonly users: KindWork;
  readonly groups: KindWork;
  /** Group source id → member user source ids, for the groups planned. */
  readonly members: ReadonlyMap<string, readonly string[]>;
}

export interface WorkInput {
  readonly desired: DesiredState;
  readonly fingerprints: Fingerprints;
  readonly stored: { readonly users: Links; readonly groups: Links };
  readonly links: { readonly users: Links; readonly groups: Links };
}

/** A full reconciliation: every object planned; unchanged ones are told apart so drift shows. */
export function allWork(input: WorkInput): Work {
  return {
    users: allKind(input.desired.users, input.fingerprints.users, input.stored.users, input.links.users, true),
    groups: allKind(input.desired.groups, input.fingerprints.groups, input.stored.groups, input.links.groups, false),
    members: input.desired.members,
  };
}

function allKind(
  desired: DesiredKind,
  fingerprints: Prints,
  stored: Links,
  links: Links,
  departures: boolean,
): KindWork {
  const unchanged = new Set<string>();
  for (const { resource } of desired.desired) {
    if (stored[resource.sourceId] === fingerprints.get(resource.sourceId)) unchanged.add(resource.sourceId);
  }
  if (departures) {
    for (const id of departed(desired, fingerprints, links)) if (stored[id] === DEPARTED) unchanged.add(id);
  }
  return { desired: desired.desired, links: new Map(Object.entries(links)), reserved: new Map(), unchanged };
}

/**
 * A delta cycle's work: only objects whose fingerprint changed (or that were never confirmed,
 * or failed last time), and linked users that left and are not yet known to be deactivated.
 * Everything else is reserved: left out of reads and plan, its account untouched.
 */
export function changedWork(input: WorkInput): Work {
  const users = changedKind(input.desired.users, input.fingerprints.users, input.stored.users, input.links.users, true);
  const groups = changedKind(
    input.desired.groups,
    input.fingerprints.groups,
    input.stored.groups,
    input.links.groups,
    false,
  );
  const planned = new Set(groups.desired.map((d) => d.resource.sourceId));
  const members = new Map([...input.desired.members].filter(([groupId]) => planned.has(groupId)));
  return { users, groups, members };
}

function changedKind(
  desired: DesiredKind,
  fingerprints: Prints,
  stored: Links,
  links: Links,
  departures: boolean,
): KindWork {
  const planned: DesiredObject[] = [];
  const plannedLinks = new Map<string, string>();
  const reserved = new Map<string, ObjectRef>();
  for (const object of desired.desired) {
    const { sourceId, label } = object.resource;
    const targetId = links[sourceId];
    if (stored[sourceId] === fingerprints.get(sourceId)) {
      // Unlinked and unchanged: rightly never created (inactive, a required value missing…).
      if (targetId !== undefined) reserved.set(sourceId, { sourceId, targetId, label });
      continue;
    }
    planned.push(object);
    if (targetId !== undefined) plannedLinks.set(sourceId, targetId);
  }
  if (departures) {
    for (const id of departed(desired, fingerprints, links)) {
      if (stored[id] !== DEPARTED) plannedLinks.set(id, links[id]!);
    }
  }
  return { desired: planned, links: plannedLinks, reserved, unchanged: new Set() };
}

/** Linked objects that are no longer desired (mapping failures excepted: those are left alone). */
function departed(desired: DesiredKind, fingerprints: Prints, links: Links): string[] {
  const failed = new Set(desired.failed.map((f) => f.sourceId));
  return Object.keys(links).filter((id) => !fingerprints.has(id) && !failed.has(id));
}

/** How many objects a kind's work reads. */
export function workSize(work: Work): number {
  return work.users.links.size + work.users.desired.length + work.groups.links.size + work.groups.desired.length;
}

/**
 * Groups that must be planned again because members of theirs were reactivated this cycle:
 * Klaxoon may have dropped a deactivated account's memberships, and with them its license.
 */
export function withGroupsOf(
  work: Work,
  userIds: ReadonlySet<string>,
  all: DesiredState,
  stored: Links,
  fingerprints: Prints,
): Work {
  if (userIds.size === 0) return work;
  const hasJoining = (groupId: string): boolean => (all.members.get(groupId) ?? []).some((id) => userIds.has(id));
  const extra = all.groups.desired.filter(({ resource }) => {
    return work.groups.reserved.has(resource.sourceId) && hasJoining(resource.sourceId);
  });
  if (extra.length === 0) return work;
  const reserved = new Map(work.groups.reserved);
  const links = new Map(work.groups.links);
  const unchanged = new Set(work.groups.unchanged);
  const members = new Map(work.members);
  for (const object of extra) {
    const id = object.resource.sourceId;
    links.set(id, reserved.get(id)!.targetId!);
    reserved.delete(id);
    if (stored[id] === fingerprints.get(id)) unchanged.add(id);
    members.set(id, all.members.get(id) ?? []);
  }
  return { ...work, groups: { desired: [...work.groups.desired, ...extra], links, reserved, unchanged }, members };
}

/** What to read from Klaxoon for a kind's work: linked ids, and matching values of the rest. */
export function lookupOf(kind: KindWork): TargetLookup {
  return {
    ids: [...kind.links.values()],
    keys: kind.desired.filter((d) => !kind.links.has(d.resource.sourceId)).flatMap((d) => d.resource.matchKeys),
  };
}

/** Matching values of linked objects whose accounts were not found by id (deleted in Klaxoon?). */
export function keysOfMissing(kind: KindWork, foundIds: ReadonlySet<string>): TargetLookup["keys"] {
  return kind.desired
    .filter((d) => {
      const targetId = kind.links.get(d.resource.sourceId);
      return targetId !== undefined && !foundIds.has(targetId);
    })
    .flatMap((d) => d.resource.matchKeys);
}
