/**
 * Group membership beyond Entra's direct members, from data read once per cycle: nested groups
 * of the groups in scope (when `graph.nestedGroups.expand` is on) and the groups scoping clauses
 * name (`memberOf IS MEMBER OF <id>`, direct or transitive). Groups not read yet are read by
 * their member listings, level by level; nothing is asked of Graph per user.
 */
import { forEachConcurrent, type GroupMembership } from "../../model/index.js";
import { expandGroup, type Expansion, type GroupMembers } from "./expand-groups.js";
import type { GraphApi } from "../client/graph-api.js";
import { GraphReadError } from "../client/graph-errors.js";
import { readGroupMembers } from "./read-members.js";
import type { ScopedReadOptions } from "../read/read-scoped.js";
import type { ScopedGroup } from "../read/scope-snapshot.js";

export interface MembershipRead {
  /** The groups in scope, with nested groups' users added to their members when expanding. */
  readonly groups: readonly ScopedGroup[];
  /** Groups read only for their members (nested groups, groups clauses name): kept for delta cycles. */
  readonly extra: Map<string, GroupMembers>;
  /** Per group a scoping clause names: its members, direct and transitive. */
  readonly memberships: Map<string, GroupMembership>;
}

interface Root {
  readonly id: string;
  readonly depth: number;
  readonly named: boolean;
}

export async function resolveMembership(
  api: GraphApi,
  groups: readonly ScopedGroup[],
  extra: ReadonlyMap<string, GroupMembers>,
  options: ScopedReadOptions,
): Promise<MembershipRead> {
  const settings = options.membership;
  if (!settings.expand && settings.referenced.length === 0) return { groups, extra: new Map(), memberships: new Map() };
  const inScope = new Map<string, GroupMembers>();
  for (const g of groups)
    if (g.memberUserIds !== null) inScope.set(g.id, { userIds: g.memberUserIds, groupIds: g.memberGroupIds ?? [] });
  const known = new Map([...extra].filter(([id]) => !inScope.has(id)));
  for (const [id, members] of inScope) known.set(id, members);

  const transitiveNamed = new Set(settings.referenced.filter((r) => r.transitive).map((r) => r.groupId));
  const roots: Root[] = [
    ...(settings.expand ? [...inScope.keys()].map((id) => ({ id, depth: settings.maxDepth, named: false })) : []),
    ...[...new Set(settings.referenced.map((r) => r.groupId))].map((id) => ({
      id,
      depth: transitiveNamed.has(id) ? settings.maxDepth : 0,
      named: true,
    })),
  ];
  const named = new Set(settings.referenced.map((r) => r.groupId));
  let walks = roots.map((root) => expandGroup(root.id, known, root.depth));
  for (let unread = unreadOf(walks); unread.length > 0; unread = unreadOf(walks)) {
    await forEachConcurrent(unread, options.concurrency, async (id) => {
      known.set(id, await readMembersOrNone(api, id, named.has(id), options));
    });
    walks = roots.map((root) => expandGroup(root.id, known, root.depth));
  }
  warnTooDeep(walks, roots, settings.maxDepth, options);

  const expanded = new Map<string, Expansion>();
  roots.forEach((root, i) => {
    const walk = walks[i];
    if (walk && !(root.named && expanded.has(root.id))) expanded.set(root.id, walk);
  });
  const memberships = new Map<string, GroupMembership>();
  for (const id of named) {
    memberships.set(id, {
      direct: new Set(known.get(id)?.userIds ?? []),
      transitive: new Set(expanded.get(id)?.userIds ?? []),
    });
  }
  const visited = new Set(walks.flatMap((w) => [...w.visited]));
  const kept = new Map([...known].filter(([id]) => visited.has(id) && !inScope.has(id)));
  const effective = settings.expand
    ? groups.map((g) =>
        g.memberUserIds === null ? g : { ...g, memberUserIds: expanded.get(g.id)?.userIds ?? g.memberUserIds },
      )
    : groups;
  return { groups: effective, extra: kept, memberships };
}

function unreadOf(walks: readonly Expansion[]): string[] {
  return [...new Set(walks.flatMap((w) => w.unread))];
}

/** A nested group deleted meanwhile has no members; a group a clause names must exist. */
async function readMembersOrNone(
  api: GraphApi,
  id: string,
  named: boolean,
  options: ScopedReadOptions,
): Promise<GroupMembers> {
  try {
    return await readGroupMembers(api, id, { pageSize: options.pageSize, logger: options.logger, expandsNested: true });
  } catch (error) {
    if (!(error instanceof GraphReadError && error.kind === "notFound")) throw error;
    if (named) {
      throw new GraphReadError(
        {
          kind: "notFound",
          resource: error.resource,
          status: error.status,
          graphCode: error.graphCode,
          message:
            `group ${id}, named by a scoping clause (memberOf IS MEMBER OF / IS NOT MEMBER OF in scoping.users), ` +
            "does not exist in Entra: fix the clause or restore the group",
        },
        { cause: error },
      );
    }
    options.logger.info({ groupId: id }, "Nested group not found (deleted meanwhile): no members");
    return { userIds: [], groupIds: [] };
  }
}

function warnTooDeep(
  walks: readonly Expansion[],
  roots: readonly Root[],
  maxDepth: number,
  options: ScopedReadOptions,
): void {
  const seen = new Set<string>();
  walks.forEach((walk, i) => {
    for (const { groupId, parentId } of walk.tooDeep) {
      if (seen.has(groupId)) continue;
      seen.add(groupId);
      options.logger.warn(
        { groupId, parentGroupId: parentId, rootGroupId: roots[i]?.id, maxDepth },
        "Nested group deeper than graph.nestedGroups.maxDepth: its members are left out",
      );
    }
  });
}
