/** Read handlers for service principals, assignments, users, groups and members. */
import type { GraphPermission } from "./identity.js";
import { page, type PageLimits } from "./paging.js";
import {
  GROUP_PROPERTIES,
  USER_PROPERTIES,
  parseSelect,
  projectDevice,
  projectGroup,
  projectServicePrincipal,
  projectUser,
  unknownProperty,
} from "./project.js";
import type { TenantStore } from "./tenant-store.js";
import { graphError, json, type EmuRequest, type EmuResponse } from "./wire.js";

export interface RouteContext {
  readonly store: TenantStore;
  readonly permissions: ReadonlySet<GraphPermission>;
  readonly limits: {
    readonly users: PageLimits;
    readonly groups: PageLimits;
    readonly members: PageLimits;
    readonly assignments: PageLimits;
  };
}

export function notFound(id: string): EmuResponse {
  return graphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function badRequest(message: string): EmuResponse {
  return graphError(400, "Request_BadRequest", message);
}

function collection(req: EmuRequest, context: string, items: unknown[], nextLink?: string): EmuResponse {
  const body: Record<string, unknown> = { "@odata.context": `${req.origin}/v1.0/$metadata#${context}`, value: items };
  if (nextLink) body["@odata.nextLink"] = nextLink;
  return json(200, body);
}

export function findServicePrincipal(ctx: RouteContext, key: { id?: string; appId?: string }) {
  if (key.id !== undefined) return ctx.store.servicePrincipals.get(key.id);
  for (const sp of ctx.store.servicePrincipals.values()) if (sp.appId === key.appId) return sp;
  return undefined;
}

export function listServicePrincipals(req: EmuRequest, ctx: RouteContext): EmuResponse {
  const filter = req.query.get("$filter") ?? "";
  const match = /^appId eq '([^']*)'$/i.exec(filter.trim());
  if (filter !== "" && !match) return badRequest(`Unsupported filter in emulator: ${filter}`);
  const select = parseSelect(req.query);
  const all = [...ctx.store.servicePrincipals.values()];
  const items = match ? all.filter((sp) => sp.appId === match[1]) : all;
  return collection(
    req,
    "servicePrincipals",
    items.map((sp) => projectServicePrincipal(sp, select)),
  );
}

export function getServicePrincipal(
  req: EmuRequest,
  ctx: RouteContext,
  key: { id?: string; appId?: string },
): EmuResponse {
  const sp = findServicePrincipal(ctx, key);
  if (!sp) return notFound(key.id ?? key.appId ?? "");
  return json(200, {
    "@odata.context": `${req.origin}/v1.0/$metadata#servicePrincipals/$entity`,
    ...projectServicePrincipal(sp, parseSelect(req.query)),
  });
}

export function listAppRoleAssignedTo(
  req: EmuRequest,
  ctx: RouteContext,
  key: { id?: string; appId?: string },
): EmuResponse {
  const sp = findServicePrincipal(ctx, key);
  if (!sp) return notFound(key.id ?? key.appId ?? "");
  const all = sp.id === ctx.store.app.id ? ctx.store.listAssignments() : [];
  const result = page(req, all, ctx.limits.assignments);
  if (!result.ok) return badRequest(result.message);
  const items = result.items.map((a) => ({
    id: a.id,
    deletedDateTime: null,
    appRoleId: a.appRoleId,
    createdDateTime: a.createdDateTime,
    principalDisplayName: ctx.store.principalDisplayName(a.principalId),
    principalId: a.principalId,
    principalType: a.principalType,
    resourceDisplayName: sp.displayName,
    resourceId: sp.id,
  }));
  return collection(req, `servicePrincipals('${sp.id}')/appRoleAssignedTo`, items, result.nextLink);
}

export function listUsers(req: EmuRequest, ctx: RouteContext): EmuResponse {
  const select = parseSelect(req.query);
  const unknown = unknownProperty(select, USER_PROPERTIES);
  if (unknown) return badRequest(`Could not find a property named '${unknown}' on type 'microsoft.graph.user'.`);
  if (req.query.has("$filter")) return badRequest("The emulator does not support $filter on users.");
  const result = page(req, ctx.store.listUsers(), ctx.limits.users);
  if (!result.ok) return badRequest(result.message);
  return collection(
    req,
    "users",
    result.items.map((u) => projectUser(u, select)),
    result.nextLink,
  );
}

export function getUser(req: EmuRequest, ctx: RouteContext, id: string): EmuResponse {
  const select = parseSelect(req.query);
  const unknown = unknownProperty(select, USER_PROPERTIES);
  if (unknown) return badRequest(`Could not find a property named '${unknown}' on type 'microsoft.graph.user'.`);
  const user = ctx.store.findUser(id);
  if (!user) return notFound(id);
  return json(200, { "@odata.context": `${req.origin}/v1.0/$metadata#users/$entity`, ...projectUser(user, select) });
}

export function listGroups(req: EmuRequest, ctx: RouteContext): EmuResponse {
  const select = parseSelect(req.query);
  const unknown = unknownProperty(select, GROUP_PROPERTIES);
  if (unknown) return badRequest(`Could not find a property named '${unknown}' on type 'microsoft.graph.group'.`);
  const result = page(req, ctx.store.listGroups(), ctx.limits.groups);
  if (!result.ok) return badRequest(result.message);
  return collection(
    req,
    "groups",
    result.items.map((g) => projectGroup(g, select)),
    result.nextLink,
  );
}

export function getGroup(req: EmuRequest, ctx: RouteContext, id: string): EmuResponse {
  const select = parseSelect(req.query);
  const unknown = unknownProperty(select, GROUP_PROPERTIES);
  if (unknown) return badRequest(`Could not find a property named '${unknown}' on type 'microsoft.graph.group'.`);
  const group = ctx.store.groups.get(id);
  if (!group) return notFound(id);
  return json(200, { "@odata.context": `${req.origin}/v1.0/$metadata#groups/$entity`, ...projectGroup(group, select) });
}

/** Direct members, each with `@odata.type`; `$select` applies per type (unknown names are dropped). */
export function listMembers(req: EmuRequest, ctx: RouteContext, groupId: string): EmuResponse {
  const group = ctx.store.groups.get(groupId);
  if (!group) return notFound(groupId);
  const select = parseSelect(req.query);
  const result = page(req, ctx.store.listMembers(groupId), ctx.limits.members);
  if (!result.ok) return badRequest(result.message);
  const canReadUsers = ctx.permissions.has("User.Read.All") || ctx.permissions.has("Directory.Read.All");
  const items: unknown[] = [];
  for (const id of result.items) {
    const member = projectMember(ctx, id, select, canReadUsers);
    if (member) items.push(member);
  }
  return collection(req, "directoryObjects", items, result.nextLink);
}

function projectMember(
  ctx: RouteContext,
  id: string,
  select: readonly string[] | null,
  canReadUsers: boolean,
): Record<string, unknown> | null {
  const { store } = ctx;
  const user = store.users.get(id);
  if (user) {
    if (!canReadUsers) return { "@odata.type": "#microsoft.graph.user", id };
    const known = select?.filter((name) => USER_PROPERTIES.has(name)) ?? null;
    return { "@odata.type": "#microsoft.graph.user", ...projectUser(user, known) };
  }
  const group = store.groups.get(id);
  if (group) return { "@odata.type": "#microsoft.graph.group", ...projectGroup(group, select) };
  const device = store.devices.get(id);
  if (device) return { "@odata.type": "#microsoft.graph.device", ...projectDevice(device, select) };
  const sp = store.servicePrincipals.get(id);
  if (sp) return { "@odata.type": "#microsoft.graph.servicePrincipal", ...projectServicePrincipal(sp, select) };
  return null;
}
