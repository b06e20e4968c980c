/**
 * `GET /users/{id}/memberOf[/microsoft.graph.group]` (Microsoft Graph v1.0, user-list-memberof.md):
 * the groups the user is a direct member of, paged like members. A soft-deleted user is 404
 * here, as for `GET /users/{id}`; restored, its memberships are back.
 */
import { notFound, type RouteContext } from "./directory-routes.js";
import { page } from "./paging.js";
import { parseSelect, projectGroup } from "./project.js";
import { graphError, json, type EmuRequest, type EmuResponse } from "./wire.js";

export function listMemberOf(req: EmuRequest, ctx: RouteContext, userId: string): EmuResponse {
  if (!ctx.store.users.has(userId)) return notFound(userId);
  const groups = ctx.store.listGroups().filter((g) => g.members.has(userId));
  const result = page(req, groups, ctx.limits.members);
  if (!result.ok) return graphError(400, "Request_BadRequest", result.message);
  const select = parseSelect(req.query);
  const body: Record<string, unknown> = {
    "@odata.context": `${req.origin}/v1.0/$metadata#directoryObjects`,
    value: result.items.map((g) => ({ "@odata.type": "#microsoft.graph.group", ...projectGroup(g, select) })),
  };
  if (result.nextLink) body["@odata.nextLink"] = result.nextLink;
  return json(200, body);
}
