/**
 * Dispatch: fault injection first, then the token endpoint or an authenticated Graph route;
 * every answer (inner `$batch` items included) lands in the request log.
 */
import { listMemberOf } from "./member-of.js";
import { setTimeout as sleep } from "node:timers/promises";
import { handleBatch } from "./batch.js";
import { handleDeletedItems } from "./deleted-items-routes.js";
import { handleDelta } from "./delta.js";
import {
  getGroup,
  getServicePrincipal,
  getUser,
  listAppRoleAssignedTo,
  listGroups,
  listMembers,
  listServicePrincipals,
  listUsers,
  type RouteContext,
} from "./directory-routes.js";
import type { FaultInjector } from "./faults.js";
import type { GraphPermission, IdentityState } from "./identity.js";
import type { DeltaState } from "./delta.js";
import type { RequestLog } from "./request-log.js";
import type { TenantStore } from "./tenant-store.js";
import { issueToken, openIdConfiguration } from "./token-endpoint.js";
import { graphError, json, type EmuRequest, type EmuResponse } from "./wire.js";

export interface Emulated {
  readonly store: TenantStore;
  readonly identity: IdentityState;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  readonly delta: DeltaState;
  readonly limits: RouteContext["limits"];
}

const LOGGED_HEADERS = [
  "accept-language",
  "x-ms-throttle-priority",
  "consistencylevel",
  "client-request-id",
  "sdkversion",
];

export async function dispatch(emu: Emulated, req: EmuRequest): Promise<EmuResponse> {
  const response = await answer(emu, req);
  const headers: Record<string, string> = {};
  for (const name of LOGGED_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  emu.log.record({
    method: req.method,
    path: req.path,
    query: req.query.toString(),
    status: response.status,
    inner: req.inner,
    headers,
  });
  return response;
}

async function answer(emu: Emulated, req: EmuRequest): Promise<EmuResponse> {
  const fault = emu.faults.decide(req.method, req.path, req.inner);
  if (fault && fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault?.status !== undefined) {
    const headers: Record<string, string> =
      fault.retryAfter === undefined ? {} : { "Retry-After": String(fault.retryAfter) };
    const code =
      fault.code ??
      (fault.status === 429 ? "TooManyRequests" : fault.status === 503 ? "serviceNotAvailable" : "generalException");
    return graphError(fault.status, code, `Injected fault ${fault.status}.`, headers);
  }
  if (fault?.emptyList === true)
    return json(200, {
      "@odata.context": `${req.origin}/v1.0/$metadata#${req.path.slice("/v1.0/".length)}`,
      value: [],
    });
  const identityRoute = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(req.path);
  if (identityRoute) {
    const [, tenant = "", endpoint] = identityRoute;
    if (endpoint === "oauth2/v2.0/token" && req.method === "POST")
      return issueToken(req, tenant, emu.store.tenantId, emu.identity);
    if (endpoint !== "oauth2/v2.0/token" && req.method === "GET") return openIdConfiguration(req, tenant);
    return graphError(405, "Request_BadRequest", "Method not allowed.");
  }
  if (!req.path.startsWith("/v1.0/")) return graphError(404, "UnknownError", `No route for ${req.path}.`);
  const auth = authenticate(emu, req);
  if ("status" in auth) return auth;
  return route(emu, req, auth.permissions);
}

function authenticate(emu: Emulated, req: EmuRequest): { permissions: ReadonlySet<GraphPermission> } | EmuResponse {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer (.+)$/.exec(header);
  if (!match) return graphError(401, "InvalidAuthenticationToken", "Access token is empty.");
  const issued = emu.identity.tokens.get(match[1] ?? "");
  if (!issued)
    return graphError(401, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed, there are no dots (.).");
  if (issued.expiresAt < Date.now())
    return graphError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");
  return { permissions: emu.identity.clients.get(issued.clientId)?.permissions ?? new Set() };
}

const REQUIRED: Record<string, readonly GraphPermission[]> = {
  servicePrincipals: ["Application.Read.All", "Directory.Read.All"],
  users: ["User.Read.All", "Directory.Read.All"],
  groups: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"],
  // Deleted items: the handler then checks the permission for the item's type.
  directory: ["User.Read.All", "Group.Read.All", "Directory.Read.All"],
};

async function route(emu: Emulated, req: EmuRequest, permissions: ReadonlySet<GraphPermission>): Promise<EmuResponse> {
  const rest = req.path.slice("/v1.0/".length);
  if (rest === "$batch" && req.method === "POST") return handleBatch(req, (inner) => dispatch(emu, inner));
  if (req.method !== "GET")
    return graphError(405, "Request_BadRequest", `The emulator serves GET on ${req.path} only.`);
  const segments = rest.split("/").map(decodeURIComponent);
  const root = (segments[0] ?? "").replace(/\(.*$/, "");
  const allowed = REQUIRED[root];
  if (!allowed) return graphError(400, "BadRequest", `Resource not found for the segment '${segments[0] ?? ""}'.`);
  if (!allowed.some((p) => permissions.has(p))) {
    return graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
  }
  const ctx: RouteContext = { store: emu.store, permissions, limits: emu.limits };
  const [first = "", second, third] = segments;
  const byAppId = /^servicePrincipals\(appId='([^']*)'\)$/.exec(first);
  if (byAppId) {
    const key = { appId: byAppId[1] ?? "" };
    if (second === undefined) return getServicePrincipal(req, ctx, key);
    if (second === "appRoleAssignedTo" && third === undefined) return listAppRoleAssignedTo(req, ctx, key);
  }
  switch (first) {
    case "servicePrincipals":
      if (second === undefined) return listServicePrincipals(req, ctx);
      if (third === undefined) return getServicePrincipal(req, ctx, { id: second });
      if (third === "appRoleAssignedTo" && segments.length === 3)
        return listAppRoleAssignedTo(req, ctx, { id: second });
      break;
    case "users":
      if (second === undefined) return listUsers(req, ctx);
      if (second === "delta" && third === undefined) return handleDelta(req, ctx, emu.delta, "users");
      if (third === undefined) return getUser(req, ctx, second);
      // user-list-memberof.md: the groups (and roles) a user is a direct member of; the cast keeps groups only.
      if (
        third === "memberOf" &&
        (segments.length === 3 || (segments.length === 4 && segments[3] === "microsoft.graph.group"))
      )
        return listMemberOf(req, ctx, second);
      break;
    case "groups":
      if (second === undefined) return listGroups(req, ctx);
      if (second === "delta" && third === undefined) return handleDelta(req, ctx, emu.delta, "groups");
      if (third === undefined) return getGroup(req, ctx, second);
      if (third === "members" && segments.length === 3) return listMembers(req, ctx, second);
      break;
    case "directory":
      if (second?.toLowerCase() === "deleteditems" && segments.length <= 3) return handleDeletedItems(req, ctx, third);
      break;
  }
  return graphError(400, "BadRequest", `Resource not found for the segment '${segments.at(-1) ?? ""}'.`);
}
