/**
 * Deleted items, as api-reference/v1.0/api/directory-deleteditems-get.md and -list.md describe
 * them: `GET /directory/deletedItems/{id}` (a directoryObject, with its `@odata.type`) and the
 * OData-cast lists `/directory/deletedItems/microsoft.graph.user` and `…microsoft.graph.group`
 * (100 per page by default, `$top` up to 999; the cast is required). A deleted user shows its
 * rewritten `userPrincipalName` (see deleted-user.ts). Permissions per type, from the same pages:
 * users `User.Read.All`, groups `Group.Read.All` (or `Directory.Read.All`).
 */
import type { DeletedGroup } from "./deleted-items.js";
import { notFound, type RouteContext } from "./directory-routes.js";
import type { GraphPermission } from "./identity.js";
import { page } from "./paging.js";
import {
  GROUP_PROPERTIES,
  USER_PROPERTIES,
  parseSelect,
  projectGroup,
  projectUser,
  unknownProperty,
  type Selection,
} from "./project.js";
import { graphError, json, type EmuRequest, type EmuResponse } from "./wire.js";

type DeletedKind = "user" | "group";

const READ_PERMISSIONS: Record<DeletedKind, readonly GraphPermission[]> = {
  user: ["User.Read.All", "Directory.Read.All"],
  group: ["Group.Read.All", "Directory.Read.All"],
};

const PROPERTIES: Record<DeletedKind, ReadonlySet<string>> = { user: USER_PROPERTIES, group: GROUP_PROPERTIES };

/** `rest` is what follows `directory/deletedItems/`: an object id or a cast. */
export function handleDeletedItems(req: EmuRequest, ctx: RouteContext, rest: string | undefined): EmuResponse {
  if (rest === undefined || rest === "") {
    return graphError(
      400,
      "Request_BadRequest",
      "The OData cast type is a required part of the URI, e.g. /directory/deletedItems/microsoft.graph.user.",
    );
  }
  const cast = /^microsoft\.graph\.(\w+)$/i.exec(rest);
  if (!cast) return getDeletedItem(req, ctx, rest);
  const kind = (cast[1] ?? "").toLowerCase();
  if (kind !== "user" && kind !== "group")
    return graphError(400, "Request_BadRequest", `The emulator serves deleted users and groups only, not '${rest}'.`);
  return listDeletedItems(req, ctx, kind);
}

function getDeletedItem(req: EmuRequest, ctx: RouteContext, id: string): EmuResponse {
  const select = parseSelect(req.query);
  const user = ctx.store.deletedUsers.get(id);
  if (user) return entity(req, ctx, "user", () => projectUser(user, select));
  const group = ctx.store.deleted.groups.get(id);
  if (group) return entity(req, ctx, "group", () => projectDeletedGroup(group, select));
  return notFound(id);
}

function entity(
  req: EmuRequest,
  ctx: RouteContext,
  kind: DeletedKind,
  project: () => Record<string, unknown>,
): EmuResponse {
  const refused = checkAccess(req, ctx, kind);
  if (refused) return refused;
  return json(200, {
    "@odata.context": `${req.origin}/v1.0/$metadata#directoryObjects/$entity`,
    "@odata.type": `#microsoft.graph.${kind}`,
    ...project(),
  });
}

function listDeletedItems(req: EmuRequest, ctx: RouteContext, kind: DeletedKind): EmuResponse {
  const refused = checkAccess(req, ctx, kind);
  if (refused) return refused;
  if (req.query.has("$filter") || req.query.has("$orderby") || req.query.has("$orderBy")) {
    return graphError(400, "Request_BadRequest", "The emulator does not support $filter or $orderby on deleted items.");
  }
  const select = parseSelect(req.query);
  return kind === "user"
    ? collection(req, ctx, "users", [...ctx.store.deletedUsers.values()], (u) => projectUser(u, select))
    : collection(req, ctx, "groups", [...ctx.store.deleted.groups.values()], (g) => projectDeletedGroup(g, select));
}

function collection<T>(
  req: EmuRequest,
  ctx: RouteContext,
  context: string,
  all: readonly T[],
  project: (item: T) => Record<string, unknown>,
): EmuResponse {
  const result = page(req, all, ctx.limits.users);
  if (!result.ok) return graphError(400, "Request_BadRequest", result.message);
  const body: Record<string, unknown> = {
    "@odata.context": `${req.origin}/v1.0/$metadata#${context}`,
    value: result.items.map(project),
  };
  if (result.nextLink) body["@odata.nextLink"] = result.nextLink;
  return json(200, body);
}

function checkAccess(req: EmuRequest, ctx: RouteContext, kind: DeletedKind): EmuResponse | null {
  if (!READ_PERMISSIONS[kind].some((p) => ctx.permissions.has(p))) {
    return graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
  }
  const unknown = unknownProperty(parseSelect(req.query), PROPERTIES[kind]);
  if (unknown)
    return graphError(
      400,
      "Request_BadRequest",
      `Could not find a property named '${unknown}' on type 'microsoft.graph.${kind}'.`,
    );
  return null;
}

function projectDeletedGroup(deleted: DeletedGroup, select: Selection): Record<string, unknown> {
  const out = projectGroup(deleted.group, select);
  if (Object.hasOwn(out, "deletedDateTime")) out.deletedDateTime = deleted.deletedDateTime;
  return out;
}
