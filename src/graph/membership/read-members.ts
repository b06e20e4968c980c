/**
 * Direct members of a group: users, and nested groups by id (expanded only when
 * `graph.nestedGroups.expand` is on; Entra never expands them). Devices, service principals and
 * contacts are skipped, each with a reason.
 */
import type { GroupMembers } from "./expand-groups.js";
import type { GraphApi } from "../client/graph-api.js";
import type { GraphLogger } from "../client/logger.js";
import { member } from "../client/wire-schemas.js";

export interface MemberReadOptions {
  readonly pageSize: number;
  readonly logger: GraphLogger;
  /** Nested groups are kept by id for expansion; else only noted. */
  readonly expandsNested?: boolean;
  /** Told of each user member as its page comes in. */
  readonly onMemberUser?: ((userId: string) => void) | undefined;
}

export async function readGroupMembers(
  api: GraphApi,
  groupId: string,
  { pageSize, logger, expandsNested = false, onMemberUser }: MemberReadOptions,
): Promise<GroupMembers> {
  const userIds: string[] = [];
  const groupIds: string[] = [];
  const skipped = new Map<string, number>();
  for await (const item of api.items(`/groups/${encodeURIComponent(groupId)}/members?$select=id&$top=${pageSize}`)) {
    const parsed = member.safeParse(item);
    if (!parsed.success) {
      skipped.set("malformed", (skipped.get("malformed") ?? 0) + 1);
      continue;
    }
    const type = parsed.data["@odata.type"];
    if (type === "#microsoft.graph.user") {
      userIds.push(parsed.data.id);
      onMemberUser?.(parsed.data.id);
    } else if (type === "#microsoft.graph.group") groupIds.push(parsed.data.id);
    else skipped.set(type, (skipped.get(type) ?? 0) + 1);
  }
  if (groupIds.length > 0 && !expandsNested) {
    logger.debug(
      {
        groupId,
        memberType: "#microsoft.graph.group",
        count: groupIds.length,
        reason: "nested groups are not expanded (Entra provisions direct members only; see graph.nestedGroups)",
      },
      "Skipped group members that are not users",
    );
  }
  for (const [type, count] of skipped) {
    const reason = type === "malformed" ? "member without @odata.type or id" : "only user members are provisioned";
    logger.debug({ groupId, memberType: type, count, reason }, "Skipped group members that are not users");
  }
  return { userIds, groupIds };
}
