/**
 * A full read of the directory (the snapshot every delta read starts from): complete, or a
 * thrown error, never partial. Scope "assigned": users assigned directly plus user members of
 * assigned security-enabled groups (direct, or through nested groups when `graph.nestedGroups`
 * says so); scope "all": every user and group.
 */
import type { SnapshotRequest } from "../../cycle/index.js";
import type { AppRoleAssignment, DirectorySnapshot } from "../../model/index.js";
import type { GroupMembers } from "../membership/expand-groups.js";
import { readAssignments, readServicePrincipal } from "../read/read-app.js";
import type { GraphReadContext } from "../read/read-context.js";
import { earlyUserListing } from "../read/early-user-listing.js";
import { readGroupsIn, readUsersIn, usersIn } from "../read/read-scoped.js";
import { selectsFor } from "../read/select-lists.js";
import { resolveMembership } from "../membership/resolve-membership.js";
import {
  assembleSnapshot,
  assignedUserIds,
  indexAssignments,
  logScopeNotes,
  type ScopedGroup,
} from "../read/scope-snapshot.js";

export interface FullRead {
  readonly snapshot: DirectorySnapshot;
  /** The groups in scope with their direct members as read (before keeping only users in the snapshot). */
  readonly groups: readonly ScopedGroup[];
  /** Groups read only for their members (nested groups, groups scoping clauses name). */
  readonly extraGroups: ReadonlyMap<string, GroupMembers>;
  /** Users in scope that could not be read (gone, soft-deleted, or without userPrincipalName). */
  readonly missingUserIds: readonly string[];
  /** The app's assignments as listed: kept in the checkpoint for the leaver lane. */
  readonly assignments: readonly AppRoleAssignment[];
}

export async function readFull(context: GraphReadContext, request: SnapshotRequest): Promise<FullRead> {
  const { api, options } = context;
  const started = Date.now();
  const select = selectsFor(request);
  const early = earlyUserListing(api, select.users, options);
  const appAndGroups = async () => {
    const servicePrincipal = await readServicePrincipal(api, request.app);
    const index = indexAssignments(await readAssignments(api, servicePrincipal.id, options.pageSize, options.logger));
    const assigned = request.scope === "assigned";
    if (assigned) for (const userId of index.direct.keys()) early.see(userId);
    const groups = await readGroupsIn(
      api,
      assigned ? [...index.viaGroup.keys()] : "all",
      select.groups,
      assigned ? { ...options, onMemberUser: early.see } : options,
    );
    logScopeNotes(index, groups, options.logger);
    return { servicePrincipal, index, groups, membership: await resolveMembership(api, groups, new Map(), options) };
  };
  // Scope "all" lists every user whatever the assignments and groups say: one chain of pages
  // that runs beside theirs instead of after them.
  const [{ servicePrincipal, index, groups, membership }, allUsers] = await Promise.all([
    appAndGroups(),
    request.scope === "all" ? readUsersIn(api, "all", select.users, options) : null,
  ]);
  const userIds = assignedUserIds(index, membership.groups);
  const listed = early.listing();
  const read =
    allUsers ??
    (listed ? usersIn(await listed, userIds, "list", options) : await readUsersIn(api, userIds, select.users, options));
  const snapshot = assembleSnapshot(servicePrincipal, index, membership.groups, read.users, membership.memberships);
  options.logger.debug(
    {
      servicePrincipalId: servicePrincipal.id,
      scope: request.scope,
      assignments: index.all.length,
      users: snapshot.users.size,
      groups: snapshot.groups.size,
      usersReadBy: read.by,
      ms: Date.now() - started,
    },
    "Read directory snapshot from Graph",
  );
  const missingUserIds = request.scope === "all" ? [] : [...userIds].filter((id) => !read.users.has(id));
  return { snapshot, groups, extraGroups: membership.extra, missingUserIds, assignments: index.all };
}
