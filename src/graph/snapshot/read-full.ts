/**
 * The Graph implementation of the cycle's DirectoryReader: a complete snapshot or a thrown
 * error, never a partial read. Scope "assigned": users assigned directly plus user members of
 * assigned security-enabled groups (direct, or through nested groups when `graph.nestedGroups`
 * says so); scope "all": every user and group.
 */
import type { TokenCredential } from "@azure/identity";
import type { DirectoryReader, SnapshotRequest } from "../cycle/index.js";
import type { DirectorySnapshot } from "../model/index.js";
import { selectList } from "./build-objects.js";
import { createGraphClient, retryPolicyFor } from "./create-graph-client.js";
import { GraphApi } from "./graph-api.js";
import type { GroupMembers } from "./expand-groups.js";
import { credentialError } from "./graph-errors.js";
import { silentLogger, type GraphLogger } from "./logger.js";
import { readAssignments, readServicePrincipal } from "./read-app.js";
import { readGroupsIn, readUsersIn, type ScopedReadOptions } from "./read-scoped.js";
import { resolveMembership } from "./resolve-membership.js";
import { realSleep, type Sleep } from "./retry-middleware.js";
import { assembleSnapshot, assignedUserIds, indexAssignments, logScopeNotes, type ScopedGroup } from "./scope-snapshot.js";
import { DEFAULT_GRAPH_ENDPOINT, DEFAULT_MEMBERSHIP, graphScope, type GraphSettings } from "./settings.js";

export interface ReaderHooks {
  /** Waits between retries (tests pass a recorder that does not wait). */
  readonly sleep?: Sleep;
}

/** What every reader builds once from the settings. */
export interface GraphReadContext {
  readonly api: GraphApi;
  readonly options: ScopedReadOptions;
  /** Gets a token first, so a credential problem is reported as such (not as a Graph failure). */
  checkCredential(): Promise<void>;
}

export function createReadContext(settings: GraphSettings, credential: TokenCredential, logger: GraphLogger, hooks: ReaderHooks): GraphReadContext {
  const sleep = hooks.sleep ?? realSleep;
  const scope = graphScope(settings.endpoint ?? DEFAULT_GRAPH_ENDPOINT);
  return {
    api: new GraphApi(createGraphClient(settings, credential, logger, sleep)),
    options: {
      concurrency: settings.concurrency ?? 4, policy: retryPolicyFor(settings), sleep, logger,
      pageSize: Math.min(999, Math.max(1, Math.floor(settings.pageSize ?? 999))),
      listAllUsersThreshold: settings.listAllUsersThreshold ?? 2_000,
      membership: {
        expand: settings.nestedGroups?.expand ?? DEFAULT_MEMBERSHIP.expand,
        maxDepth: settings.nestedGroups?.maxDepth ?? DEFAULT_MEMBERSHIP.maxDepth,
        referenced: settings.membershipGroups ?? DEFAULT_MEMBERSHIP.referenced,
      },
    },
    async checkCredential() {
      try {
        await credential.getToken(scope);
      } catch (error) {
        throw credentialError(error);
      }
    },
  };
}

export function createGraphDirectoryReader(
  settings: GraphSettings, credential: TokenCredential, logger: GraphLogger = silentLogger, hooks: ReaderHooks = {},
): DirectoryReader {
  const context = createReadContext(settings, credential, logger, hooks);
  return {
    async readSnapshot(request) {
      await context.checkCredential();
      return (await readFull(context, request)).snapshot;
    },
  };
}

/** The `$select` lists of a request, as sent (without the `$select=`). */
export function selectsFor(request: SnapshotRequest): { readonly users: string; readonly groups: string } {
  return {
    users: selectList(request.userAttributes, ["id", "userPrincipalName", "accountEnabled"]),
    groups: selectList(request.groupAttributes, ["id", "displayName", "securityEnabled"]),
  };
}

export interface FullRead {
  readonly snapshot: DirectorySnapshot;
  /** The groups in scope with their direct members as read (before keeping only users in the snapshot). */
  readonly groups: readonly ScopedGroup[];
  /** Groups read only for their members (nested groups, groups scoping clauses name). */
  readonly extraGroups: ReadonlyMap<string, GroupMembers>;
  /** Users in scope that could not be read (gone, soft-deleted, or without userPrincipalName). */
  readonly missingUserIds: readonly string[];
}

export async function readFull(context: GraphReadContext, request: SnapshotRequest): Promise<FullRead> {
  const { api, options } = context;
  const started = Date.now();
  const select = selectsFor(request);
  const appAndGroups = async () => {
    const servicePrincipal = await readServicePrincipal(api, request.app);
    const index = indexAssignments(await readAssignments(api, servicePrincipal.id, options.pageSize, options.logger));
    const groups = await readGroupsIn(api, request.scope === "all" ? "all" : [...index.viaGroup.keys()], select.groups, options);
    logScopeNotes(index, groups, options.logger);
    return { servicePrincipal, index, groups, membership: await resolveMembership(api, groups, new Map(), options) };
  };
  // Scope "all" lists every user whatever the assignments and groups say: one chain of pages
  // that runs beside theirs instead of after them.
  const [{ servicePrincipal, index, groups, membership }, allUsers] = await Promise.all([
    appAndGroups(),
    request.scope === "all" ? readUsersIn(api, "all", select.users, options) : null,
  ]);
  const userIds = assignedUserIds(index, membership.groups);
  const read = allUsers ?? await readUsersIn(api, userIds, select.users, options);
  const snapshot = assembleSnapshot(servicePrincipal, index, membership.groups, read.users, membership.memberships);
  options.logger.info({
    servicePrincipalId: servicePrincipal.id, scope: request.scope, assignments: index.all.length, users: snapshot.users.size,
    groups: snapshot.groups.size, usersReadBy: read.by, ms: Date.now() - started,
  }, "Read directory snapshot from Graph");
  const missingUserIds = request.scope === "all" ? [] : [...userIds].filter((id) => !read.users.has(id));
  return { snapshot, groups, extraGroups: membership.extra, missingUserIds };
}
