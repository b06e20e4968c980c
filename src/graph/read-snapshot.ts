/**
 * The Graph implementation of the cycle's DirectoryReader: a complete snapshot or a thrown
 * error, never a partial read. Scope "assigned": users assigned directly plus direct user
 * members of assigned security-enabled groups; scope "all": every user and group.
 */
import type { TokenCredential } from "@azure/identity";
import type { DirectoryReader, SnapshotRequest } from "../cycle/index.js";
import type { AppRoleAssignment, DirectoryGroup, DirectorySnapshot, DirectoryUser } from "../model/index.js";
import { selectList, toDirectoryGroup, toDirectoryUser } from "./build-objects.js";
import { createGraphClient, retryPolicyFor } from "./create-graph-client.js";
import { GraphApi } from "./graph-api.js";
import { credentialError } from "./graph-errors.js";
import { silentLogger, type GraphLogger } from "./logger.js";
import { forEachConcurrent } from "./pool.js";
import { readAssignments, readServicePrincipal } from "./read-app.js";
import { readMemberUserIds } from "./read-members.js";
import { readByIds, type ByIdReadOptions } from "./read-users.js";
import { realSleep, type Sleep } from "./retry-middleware.js";
import { DEFAULT_GRAPH_ENDPOINT, graphScope, type GraphSettings } from "./settings.js";

export interface ReaderHooks {
  /** Waits between retries (tests pass a recorder that does not wait). */
  readonly sleep?: Sleep;
}

export function createGraphDirectoryReader(
  settings: GraphSettings, credential: TokenCredential, logger: GraphLogger = silentLogger, hooks: ReaderHooks = {},
): DirectoryReader {
  const sleep = hooks.sleep ?? realSleep;
  const api = new GraphApi(createGraphClient(settings, credential, logger, sleep));
  const byId: ByIdReadOptions = { concurrency: settings.concurrency ?? 4, policy: retryPolicyFor(settings), sleep, logger };
  const scope = graphScope(settings.endpoint ?? DEFAULT_GRAPH_ENDPOINT);
  return {
    async readSnapshot(request) {
      try {
        await credential.getToken(scope);
      } catch (error) {
        throw credentialError(error);
      }
      return readSnapshot(api, settings, request, logger, byId);
    },
  };
}

async function readSnapshot(
  api: GraphApi, settings: GraphSettings, request: SnapshotRequest, logger: GraphLogger, byId: ByIdReadOptions,
): Promise<DirectorySnapshot> {
  const started = Date.now();
  const pageSize = Math.min(999, Math.max(1, Math.floor(settings.pageSize ?? 999)));
  const servicePrincipal = await readServicePrincipal(api, request.app);
  const assignments = await readAssignments(api, servicePrincipal.id, pageSize, logger);
  const direct = groupBy(assignments.filter((a) => a.principalType === "User"));
  const viaGroup = groupBy(assignments.filter((a) => a.principalType === "Group"));
  const userSelect = `$select=${selectList(request.userAttributes, ["id", "userPrincipalName", "accountEnabled"])}`;
  const groupSelect = `$select=${selectList(request.groupAttributes, ["id", "displayName", "securityEnabled"])}`;

  const rawGroups = request.scope === "all"
    ? await collect(api.items(`/groups?${groupSelect}&$top=${pageSize}`))
    : inOrder(await readByIds(api, "groups", [...viaGroup.keys()], groupSelect, byId), [...viaGroup.keys()]);
  const groupObjects = rawGroups.flatMap((raw) => toDirectoryGroup(raw, [], logger) ?? []);
  const members = new Map<string, string[]>();
  const withMembers = groupObjects.filter((g) => g.attributes["securityEnabled"] !== false);
  const notSecurity = groupObjects.filter((g) => g.attributes["securityEnabled"] === false).map((g) => g.id);
  if (notSecurity.length > 0) {
    logger.info({ count: notSecurity.length, groupIds: notSecurity.slice(0, 20) }, "Groups not security-enabled: their members are not read or provisioned");
  }
  const otherPrincipals = assignments.filter((a) => a.principalType === "ServicePrincipal").length;
  if (otherPrincipals > 0) logger.info({ count: otherPrincipals }, "Assignments to service principals are not provisioned");
  await forEachConcurrent(withMembers, byId.concurrency, async (g) => {
    members.set(g.id, await readMemberUserIds(api, g.id, pageSize, logger));
  });

  const userIds = new Set(direct.keys());
  for (const g of withMembers) if (viaGroup.has(g.id)) for (const id of members.get(g.id) ?? []) userIds.add(id);
  const threshold = settings.listAllUsersThreshold ?? 2_000;
  const listAll = request.scope === "all" || userIds.size >= threshold;
  const rawUsers = listAll
    ? await collect(api.items(`/users?${userSelect}&$top=${pageSize}`))
    : inOrder(await readByIds(api, "users", [...userIds], userSelect, byId), [...userIds]);

  const users = new Map<string, DirectoryUser>();
  for (const raw of rawUsers) {
    const user = toDirectoryUser(raw, logger);
    if (user && (request.scope === "all" || userIds.has(user.id))) users.set(user.id, user);
  }
  const groups = new Map<string, DirectoryGroup>();
  const userAssignments = new Map<string, AppRoleAssignment[]>();
  for (const [id, list] of direct) if (users.has(id)) userAssignments.set(id, [...list]);
  for (const g of groupObjects) {
    const memberUserIds = (members.get(g.id) ?? []).filter((id) => users.has(id));
    groups.set(g.id, { ...g, memberUserIds });
    for (const id of memberUserIds) {
      const granted = viaGroup.get(g.id);
      if (granted) userAssignments.set(id, [...(userAssignments.get(id) ?? []), ...granted]);
    }
  }
  logger.info({
    servicePrincipalId: servicePrincipal.id, scope: request.scope, assignments: assignments.length, users: users.size,
    groups: groups.size, usersReadBy: listAll ? "list" : "batch", ms: Date.now() - started,
  }, "Read directory snapshot from Graph");
  return { servicePrincipal, users, groups, userAssignments, assignmentCount: assignments.length };
}

/** Batches answer in any order; the snapshot keeps a stable one (assignment order). */
function inOrder(found: ReadonlyMap<string, unknown>, ids: readonly string[]): unknown[] {
  return ids.flatMap((id) => (found.has(id) ? [found.get(id)] : []));
}

function groupBy(assignments: readonly AppRoleAssignment[]): Map<string, AppRoleAssignment[]> {
  const out = new Map<string, AppRoleAssignment[]>();
  for (const a of assignments) out.set(a.principalId, [...(out.get(a.principalId) ?? []), a]);
  return out;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
