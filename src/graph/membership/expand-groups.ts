/**
 * Nested groups, walked over members already read: breadth first, each group visited once (so
 * a cycle such as A ∋ B ∋ A ends), down to `maxDepth` levels of nesting below the root. Pure:
 * the reader reads the groups a walk reports as unread, then walks again.
 */

/** A group's direct members, split by type (other member types are not kept). */
export interface GroupMembers {
  readonly userIds: readonly string[];
  readonly groupIds: readonly string[];
}

export interface Expansion {
  /** Users reached from the root (its direct members first), each once. */
  readonly userIds: readonly string[];
  /** Groups within the depth limit whose members are not known yet. */
  readonly unread: readonly string[];
  /** Nested groups left out because they are deeper than `maxDepth`, with the group that holds them. */
  readonly tooDeep: readonly { readonly groupId: string; readonly parentId: string }[];
  /** Every group the walk went through, the root included. */
  readonly visited: ReadonlySet<string>;
}

/** `maxDepth` 0 gives the root's direct user members only. */
export function expandGroup(rootId: string, members: ReadonlyMap<string, GroupMembers>, maxDepth: number): Expansion {
  const userIds = new Set<string>();
  const unread: string[] = [];
  const tooDeep: { groupId: string; parentId: string }[] = [];
  const visited = new Set([rootId]);
  let level = [rootId];
  for (let depth = 0; level.length > 0; depth += 1) {
    const next: string[] = [];
    for (const groupId of level) {
      const known = members.get(groupId);
      if (!known) {
        unread.push(groupId);
        continue;
      }
      for (const id of known.userIds) userIds.add(id);
      for (const child of known.groupIds) {
        if (visited.has(child)) continue;
        if (depth + 1 > maxDepth) {
          if (maxDepth > 0 && !tooDeep.some((t) => t.groupId === child))
            tooDeep.push({ groupId: child, parentId: groupId });
          continue;
        }
        visited.add(child);
        next.push(child);
      }
    }
    level = next;
  }
  return { userIds: [...userIds], unread, tooDeep, visited };
}
