/**
 * The scope rules and the snapshot's assembly, shared by full and delta reads so both give the
 * same snapshot for the same directory: users assigned directly plus user members of assigned
 * security-enabled groups (nested groups expanded only when configured); group members kept only when
 * the user is in the snapshot; each user's assignments, direct first, then through groups.
 */
import type {
  AppRoleAssignment,
  DirectoryGroup,
  DirectorySnapshot,
  DirectoryUser,
  GroupMembership,
  ServicePrincipalInfo,
  SourceAttributes,
} from "../../model/index.js";
import type { GraphLogger } from "../client/logger.js";

export interface ScopedGroup {
  readonly id: string;
  readonly attributes: SourceAttributes;
  /** Direct user members as read from Graph; null when they are not read (group not security-enabled). */
  readonly memberUserIds: readonly string[] | null;
  /** Direct members that are groups (walked only for nested expansion or a transitive membership clause). */
  readonly memberGroupIds?: readonly string[];
}

export interface AssignmentIndex {
  readonly all: readonly AppRoleAssignment[];
  /** Per user id: its direct assignments. */
  readonly direct: ReadonlyMap<string, readonly AppRoleAssignment[]>;
  /** Per group id: the assignments its direct members receive. */
  readonly viaGroup: ReadonlyMap<string, readonly AppRoleAssignment[]>;
}

export function indexAssignments(assignments: readonly AppRoleAssignment[]): AssignmentIndex {
  return {
    all: assignments,
    direct: groupBy(assignments.filter((a) => a.principalType === "User")),
    viaGroup: groupBy(assignments.filter((a) => a.principalType === "Group")),
  };
}

/** Entra provisions members of security-enabled groups only: other groups' members are not read. */
export function readsMembers(attributes: SourceAttributes): boolean {
  return attributes["securityEnabled"] !== false;
}

/** Users the assignments bring into scope (scope "assigned"). */
export function assignedUserIds(index: AssignmentIndex, groups: Iterable<ScopedGroup>): Set<string> {
  const ids = new Set(index.direct.keys());
  for (const g of groups) if (index.viaGroup.has(g.id)) for (const id of g.memberUserIds ?? []) ids.add(id);
  return ids;
}

export function logScopeNotes(index: AssignmentIndex, groups: readonly ScopedGroup[], logger: GraphLogger): void {
  const notSecurity = groups.filter((g) => g.memberUserIds === null).map((g) => g.id);
  if (notSecurity.length > 0) {
    logger.info(
      { count: notSecurity.length, groupIds: notSecurity.slice(0, 20) },
      "Groups not security-enabled: their members are not read or provisioned",
    );
  }
  const otherPrincipals = index.all.filter((a) => a.principalType === "ServicePrincipal").length;
  if (otherPrincipals > 0)
    logger.debug({ count: otherPrincipals }, "Assignments to service principals are not provisioned");
}

/** `users` must already hold exactly the users in scope. */
export function assembleSnapshot(
  servicePrincipal: ServicePrincipalInfo,
  index: AssignmentIndex,
  groupsInScope: readonly ScopedGroup[],
  users: ReadonlyMap<string, DirectoryUser>,
  memberships: ReadonlyMap<string, GroupMembership> = new Map(),
): DirectorySnapshot {
  const groups = new Map<string, DirectoryGroup>();
  // Users with the same assignments, in the same order (everyone in the same groups), share one
  // list: at 100,000 users one list per user was ~9 MB of the snapshot, and the mapping's role
  // values are then computed once per distinct list (mapping/source-view.ts).
  const lists = new AssignmentLists();
  const userAssignments = new Map<string, AssignmentNode>();
  for (const [id, list] of index.direct) if (users.has(id)) userAssignments.set(id, lists.extend(lists.root, list));
  for (const g of groupsInScope) {
    const memberUserIds = (g.memberUserIds ?? []).filter((id) => users.has(id));
    groups.set(g.id, { id: g.id, attributes: g.attributes, memberUserIds });
    const granted = index.viaGroup.get(g.id);
    if (granted)
      for (const id of memberUserIds)
        userAssignments.set(id, lists.extend(userAssignments.get(id) ?? lists.root, granted));
  }
  const snapshot: DirectorySnapshot = {
    servicePrincipal,
    users,
    groups,
    userAssignments: new Map([...userAssignments].map(([id, node]) => [id, node.list])),
    assignmentCount: index.all.length,
  };
  return memberships.size > 0 ? { ...snapshot, memberships } : snapshot;
}

interface AssignmentNode {
  readonly list: readonly AppRoleAssignment[];
  readonly next: Map<AppRoleAssignment, AssignmentNode>;
}

/** Every distinct sequence of assignments built so far, as a trie: one frozen list per sequence. */
class AssignmentLists {
  readonly root: AssignmentNode = { list: Object.freeze([]), next: new Map() };

  extend(from: AssignmentNode, more: readonly AppRoleAssignment[]): AssignmentNode {
    let node = from;
    for (const assignment of more) {
      let child = node.next.get(assignment);
      if (!child) {
        child = { list: Object.freeze([...node.list, assignment]), next: new Map() };
        node.next.set(assignment, child);
      }
      node = child;
    }
    return node;
  }
}

function groupBy(assignments: readonly AppRoleAssignment[]): Map<string, AppRoleAssignment[]> {
  const out = new Map<string, AppRoleAssignment[]>();
  for (const a of assignments) {
    const list = out.get(a.principalId);
    if (list) list.push(a);
    else out.set(a.principalId, [a]);
  }
  return out;
}
