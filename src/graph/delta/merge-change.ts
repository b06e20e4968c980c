/**
 * Merging one delta round into the checkpoint's state. Users: partial attributes merge;
 * `@removed: changed` marks soft deletion (the user stays, the planner deactivates it);
 * `@removed: deleted` drops it; a restored user comes back without annotation. Groups: attribute
 * merge and direct members (users, nested groups) added and removed, also for groups held only
 * for their members (nested groups, groups scoping clauses name). Objects not held (out of scope
 * last time) are only noted: if they enter scope, they are read in full, never trusted from a
 * partial change.
 */
import type { DirectoryState } from "./checkpoint.js";
import type { DeltaChange, MemberChanges } from "./delta-round.js";
import { readsMembers } from "../read/scope-snapshot.js";

export interface MergeNotes {
  /** Users reported present that the state does not hold (new, restored, out of scope, or missing last time). */
  readonly unknownUsers: Set<string>;
  /** Groups reported present that the state does not hold. */
  readonly unknownGroups: Set<string>;
  /** Held groups that became security-enabled: their members must be read. */
  readonly groupsWithoutMembers: Set<string>;
  changes: number;
}

export function emptyNotes(): MergeNotes {
  return { unknownUsers: new Set(), unknownGroups: new Set(), groupsWithoutMembers: new Set(), changes: 0 };
}

export function mergeUserChange(state: DirectoryState, change: DeltaChange, notes: MergeNotes): void {
  notes.changes += 1;
  const held = state.users.get(change.id);
  if (change.removed === "deleted") {
    state.users.delete(change.id);
    state.missingUserIds.delete(change.id);
    notes.unknownUsers.delete(change.id);
    return;
  }
  if (change.removed === "changed") {
    if (held) held.softDeleted = true;
    notes.unknownUsers.delete(change.id);
    return;
  }
  if (!held) {
    notes.unknownUsers.add(change.id);
    return;
  }
  for (const field of state.userFields)
    if (Object.hasOwn(change.attributes, field)) held.attributes[field] = change.attributes[field];
  held.softDeleted = false;
}

export function mergeGroupChange(state: DirectoryState, change: DeltaChange, notes: MergeNotes): void {
  notes.changes += 1;
  const held = state.groups.get(change.id);
  if (change.removed !== null) {
    state.groups.delete(change.id);
    state.extraGroups.delete(change.id);
    notes.unknownGroups.delete(change.id);
    return;
  }
  const extra = state.extraGroups.get(change.id);
  if (extra && change.members) {
    const { added, removed } = change.members;
    state.extraGroups.set(change.id, {
      userIds: applyChanges(extra.userIds, added, removed),
      groupIds: applyGroupChanges(extra.groupIds, change.members),
    });
  }
  if (!held) {
    notes.unknownGroups.add(change.id);
    return;
  }
  const attributes = { ...held.attributes };
  for (const [key, value] of Object.entries(change.attributes))
    if (Object.hasOwn(held.attributes, key)) attributes[key] = value;
  let memberUserIds = held.memberUserIds;
  let memberGroupIds = held.memberGroupIds ?? [];
  if (!readsMembers(attributes)) {
    memberUserIds = null;
    memberGroupIds = [];
  } else if (memberUserIds === null) {
    notes.groupsWithoutMembers.add(change.id);
  } else if (change.members) {
    memberUserIds = applyChanges(memberUserIds, change.members.added, change.members.removed);
    memberGroupIds = applyGroupChanges(memberGroupIds, change.members);
  }
  state.groups.set(change.id, { id: change.id, attributes, memberUserIds, memberGroupIds });
}

function applyChanges(ids: readonly string[], added: readonly string[], removed: readonly string[]): string[] {
  const members = new Set(ids);
  for (const id of removed) members.delete(id);
  for (const id of added) members.add(id);
  return [...members];
}

function applyGroupChanges(ids: readonly string[], changes: MemberChanges): string[] {
  return applyChanges(ids, changes.addedGroups ?? [], changes.removedGroups ?? []);
}
