/**
 * Direct members of a group, as Entra provisioning uses them: user members only. Nested groups
 * are not expanded; devices, service principals and contacts are skipped, each with a reason.
 */
import type { GraphApi } from "./graph-api.js";
import type { GraphLogger } from "./logger.js";
import { member } from "./wire-schemas.js";

export async function readMemberUserIds(api: GraphApi, groupId: string, pageSize: number, logger: GraphLogger): Promise<string[]> {
  const userIds: string[] = [];
  const skipped = new Map<string, number>();
  for await (const item of api.items(`/groups/${encodeURIComponent(groupId)}/members?$select=id&$top=${pageSize}`)) {
    const parsed = member.safeParse(item);
    if (!parsed.success) {
      skipped.set("malformed", (skipped.get("malformed") ?? 0) + 1);
      continue;
    }
    const type = parsed.data["@odata.type"];
    if (type === "#microsoft.graph.user") userIds.push(parsed.data.id);
    else skipped.set(type, (skipped.get(type) ?? 0) + 1);
  }
  for (const [type, count] of skipped) {
    const reason = type === "#microsoft.graph.group"
      ? "nested groups are not expanded (Entra provisions direct members only)"
      : type === "malformed" ? "member without @odata.type or id" : "only user members are provisioned";
    logger.info({ groupId, memberType: type, count, reason }, "Skipped group members that are not users");
  }
  return userIds;
}
