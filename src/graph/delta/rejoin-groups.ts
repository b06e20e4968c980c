/**
 * A user that a delta round reports present while the checkpoint does not hold it is new, out
 * of scope last time, or restored from deleted items. A restored user gets its memberships
 * back, but Graph need not say so in groups/delta: Microsoft's group delta guide says deleted
 * users "keep their group memberships and won't appear in the delta result", and a full read
 * made while the user was deleted did not list it as a member. So its direct groups are read
 * (`GET /users/{id}/memberOf/microsoft.graph.group`, one request per such user: the cost grows
 * with the changes) and the held groups take it back as a member.
 */
import { forEachConcurrent } from "../../model/index.js";
import type { GraphApi } from "../client/graph-api.js";
import { GraphReadError } from "../client/graph-errors.js";
import type { DirectoryState } from "./checkpoint.js";

export async function rejoinGroups(
  api: GraphApi,
  state: DirectoryState,
  userIds: ReadonlySet<string>,
  concurrency: number,
): Promise<void> {
  await forEachConcurrent([...userIds], concurrency, async (userId) => {
    for (const groupId of await directGroupsOf(api, userId)) {
      const held = state.groups.get(groupId);
      if (held && held.memberUserIds !== null && !held.memberUserIds.includes(userId))
        state.groups.set(groupId, { ...held, memberUserIds: [...held.memberUserIds, userId] });
      const extra = state.extraGroups.get(groupId);
      if (extra && !extra.userIds.includes(userId))
        state.extraGroups.set(groupId, { ...extra, userIds: [...extra.userIds, userId] });
    }
  });
}

async function directGroupsOf(api: GraphApi, userId: string): Promise<string[]> {
  const ids: string[] = [];
  try {
    for await (const item of api.items(
      `/users/${encodeURIComponent(userId)}/memberOf/microsoft.graph.group?$select=id`,
    )) {
      if (typeof item === "object" && item !== null && "id" in item && typeof item.id === "string") ids.push(item.id);
    }
  } catch (error) {
    // Deleted again since the delta round: it is in no group.
    if (error instanceof GraphReadError && error.kind === "notFound") return [];
    throw error;
  }
  return ids;
}
