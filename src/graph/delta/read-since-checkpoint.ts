/**
 * A delta read: assignments re-read in full (they have no delta), the users and groups rounds
 * from the stored links merged into the state, scope recomputed with the full read's rules, and
 * only objects newly in scope read by id. Requests grow with the changes, not with the tenant.
 */
import type { IncrementalReadRequest, SnapshotRequest } from "../../cycle/index.js";
import type { AppRoleAssignment, DirectorySnapshot, DirectoryUser } from "../../model/index.js";
import type { GraphApi } from "../client/graph-api.js";
import type { DirectoryState } from "./checkpoint.js";
import type { DeltaReadAhead } from "./quiet-check.js";
import type { GraphLogger } from "../client/logger.js";
import { emptyNotes, mergeGroupChange, mergeUserChange, type MergeNotes } from "./merge-change.js";
import { fulfilled } from "../read/settled.js";
import { readAssignments, readServicePrincipal } from "../read/read-app.js";
import { readDeltaRound, type DeltaChange } from "./delta-round.js";
import { readGroupsIn, readMembersOf, readUsersIn } from "../read/read-scoped.js";
import { rejoinGroups } from "./rejoin-groups.js";
import { resolveMembership } from "../membership/resolve-membership.js";
import type { GraphReadContext } from "../read/read-context.js";
import { selectsFor } from "../read/select-lists.js";
import {
  assembleSnapshot,
  assignedUserIds,
  indexAssignments,
  logScopeNotes,
  type AssignmentIndex,
  type ScopedGroup,
} from "../read/scope-snapshot.js";

export type ReadSinceCheckpoint =
  | { readonly ok: true; readonly snapshot: DirectorySnapshot; readonly state: DirectoryState }
  | { readonly ok: false; readonly reason: string };

/** Merges into `state` (which it owns from here on) and returns it with the new delta links. */
export async function readSinceCheckpoint(
  context: GraphReadContext,
  request: SnapshotRequest & Pick<IncrementalReadRequest, "lane">,
  state: DirectoryState,
  ahead: DeltaReadAhead | null = null,
): Promise<ReadSinceCheckpoint> {
  const { api, options } = context;
  const started = Date.now();
  const servicePrincipal = ahead?.servicePrincipal ?? (await readServicePrincipal(api, request.app));
  if (servicePrincipal.id !== state.servicePrincipal.id) {
    return { ok: false, reason: "the app's service principal is not the one the checkpoint was made for" };
  }
  const notes = emptyNotes();
  const rounds = ahead ? mergeReadAhead(state, ahead, notes) : await readRounds(context, request, state, notes);
  const index = indexAssignments(rounds.assignments);
  await rejoinGroups(api, state, notes.unknownUsers, options.concurrency);
  const { deltaLinks } = rounds;
  const select = selectsFor(request);
  const direct = await refreshGroups(context, request, state, index, notes, select.groups);
  logScopeNotes(index, direct, options.logger);
  const membership = await resolveMembership(api, direct, state.extraGroups, options);
  const groups = membership.groups;

  const inScope =
    request.scope === "all" ? new Set([...state.users.keys(), ...notes.unknownUsers]) : assignedUserIds(index, groups);
  for (const id of state.users.keys()) if (!inScope.has(id)) state.users.delete(id);
  for (const id of state.missingUserIds) if (!inScope.has(id)) state.missingUserIds.delete(id);
  const toRead = new Set(
    [...inScope].filter((id) => !state.users.has(id) && (!state.missingUserIds.has(id) || notes.unknownUsers.has(id))),
  );
  const read =
    toRead.size > 0 ? (await readUsersIn(api, toRead, select.users, options)).users : new Map<string, DirectoryUser>();
  for (const id of toRead) {
    const user = read.get(id);
    if (user) {
      state.users.set(id, { attributes: { ...user.attributes }, softDeleted: false });
      state.missingUserIds.delete(id);
    } else if (request.scope !== "all") {
      state.missingUserIds.add(id);
    }
  }
  const users = new Map<string, DirectoryUser>();
  for (const id of inScope) {
    const held = state.users.get(id);
    // Shared with the state, not copied: the state is only encoded from here on, never merged into.
    if (held) users.set(id, { id, attributes: held.attributes, softDeleted: held.softDeleted });
  }
  options.logger.info(
    {
      servicePrincipalId: servicePrincipal.id,
      scope: request.scope,
      assignments: index.all.length,
      changes: notes.changes,
      usersRead: toRead.size,
      users: users.size,
      groups: groups.length,
      ms: Date.now() - started,
    },
    "Read directory changes from Graph (delta)",
  );
  return {
    ok: true,
    snapshot: assembleSnapshot(servicePrincipal, index, groups, users, membership.memberships),
    state: { ...state, servicePrincipal, deltaLinks, extraGroups: membership.extra, assignments: index.all },
  };
}

/** Groups in scope after the merge; groups new to the scope are read in full, with their members. */
async function refreshGroups(
  context: GraphReadContext,
  request: SnapshotRequest,
  state: DirectoryState,
  index: AssignmentIndex,
  notes: MergeNotes,
  groupSelect: string,
): Promise<ScopedGroup[]> {
  const { api, options } = context;
  const wanted = [
    ...new Set(request.scope === "all" ? [...state.groups.keys(), ...notes.unknownGroups] : index.viaGroup.keys()),
  ];
  const wantedSet = new Set(wanted);
  for (const id of state.groups.keys()) if (!wantedSet.has(id)) state.groups.delete(id);
  const fresh = await readGroupsIn(
    api,
    wanted.filter((id) => !state.groups.has(id)),
    groupSelect,
    options,
  );
  const stale = [...notes.groupsWithoutMembers].flatMap((id) => state.groups.get(id) ?? []);
  for (const group of [...fresh, ...(await readMembersOf(api, stale, options))]) state.groups.set(group.id, group);
  return wanted.flatMap((id) => state.groups.get(id) ?? []);
}

interface Rounds {
  readonly assignments: readonly AppRoleAssignment[];
  readonly deltaLinks: { readonly users: string; readonly groups: string };
}

/** The assignments, and both delta rounds merged into `state` as they stream. */
async function readRounds(
  context: GraphReadContext,
  request: Pick<IncrementalReadRequest, "lane">,
  state: DirectoryState,
  notes: MergeNotes,
): Promise<Rounds> {
  const { api, options } = context;
  // The leaver lane reuses the assignments the last read listed (Graph has no delta for them).
  const reused = request.lane?.relistAssignments === false ? state.assignments : null;
  const [assignments, usersLink, groupsLink] = await Promise.allSettled([
    reused ?? readAssignments(api, state.servicePrincipal.id, options.pageSize, options.logger),
    mergeRound(api, state.deltaLinks.users, options.logger, (c) => mergeUserChange(state, c, notes)),
    mergeRound(api, state.deltaLinks.groups, options.logger, (c) => mergeGroupChange(state, c, notes)),
  ]);
  return {
    assignments: fulfilled(assignments),
    deltaLinks: { users: fulfilled(usersLink), groups: fulfilled(groupsLink) },
  };
}

/**
 * What a quiet check read, merged in its place. Its rounds started from links newer than the
 * checkpoint's, or the same: every round between found nothing (that is what made those cycles
 * quiet), so the checkpoint plus these changes is the directory now.
 */
function mergeReadAhead(state: DirectoryState, ahead: DeltaReadAhead, notes: MergeNotes): Rounds {
  for (const change of ahead.changes.users) mergeUserChange(state, change, notes);
  for (const change of ahead.changes.groups) mergeGroupChange(state, change, notes);
  return { assignments: ahead.assignments, deltaLinks: ahead.deltaLinks };
}

async function mergeRound(
  api: GraphApi,
  deltaLink: string,
  logger: GraphLogger,
  merge: (change: DeltaChange) => void,
): Promise<string> {
  const round = readDeltaRound(api, { deltaLink }, logger);
  for await (const change of round.changes) merge(change);
  return round.deltaLink();
}
