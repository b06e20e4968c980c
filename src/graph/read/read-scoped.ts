/**
 * Reading the users and groups a scope names, the same way for full and delta reads: every
 * object of a collection by listing, a few by id through `$batch` (20 per request, several in
 * flight), and many users by one listing filtered locally (pages instead of thousands of batches).
 */
import { forEachConcurrent, type DirectoryUser } from "../../model/index.js";
import type { GroupMembers } from "../membership/expand-groups.js";
import { toDirectoryGroup, toDirectoryUser } from "./build-objects.js";
import type { GraphApi } from "../client/graph-api.js";
import { readGroupMembers } from "../membership/read-members.js";
import { readByIds, type ByIdReadOptions } from "./read-by-ids.js";
import type { MembershipSettings } from "../settings.js";
import { readsMembers, type ScopedGroup } from "./scope-snapshot.js";

export interface ScopedReadOptions extends ByIdReadOptions {
  readonly pageSize: number;
  /** Nested groups and the groups scoping clauses name (`graph.nestedGroups`, `IS MEMBER OF`). */
  readonly membership: MembershipSettings;
  /** From this many ids, list every user and filter instead of batching. */
  readonly listAllUsersThreshold: number;
  /** Told of each user member of the groups read here, as their member pages come in. */
  readonly onMemberUser?: ((userId: string) => void) | undefined;
}

export interface UsersRead {
  /** Usable users (a userPrincipalName), in listing order or in the order of `ids`. */
  readonly users: Map<string, DirectoryUser>;
  readonly by: "list" | "batch";
}

export async function readUsersIn(
  api: GraphApi,
  ids: ReadonlySet<string> | "all",
  select: string,
  options: ScopedReadOptions,
): Promise<UsersRead> {
  const listAll = ids === "all" || listsAllUsers(ids.size, options);
  const raw = listAll
    ? await listAllUsers(api, select, options)
    : inOrder(await readByIds(api, "users", [...ids], `$select=${select}`, options), [...ids]);
  return usersIn(raw, ids, listAll ? "list" : "batch", options);
}

/** Whether this many users in scope are read by listing every user rather than by id. */
export function listsAllUsers(count: number, options: Pick<ScopedReadOptions, "listAllUsersThreshold">): boolean {
  return count >= options.listAllUsersThreshold;
}

/** Every user of the directory as Graph answers them, before any is kept or converted. */
export function listAllUsers(api: GraphApi, select: string, options: ScopedReadOptions): Promise<unknown[]> {
  return collect(api.items(`/users?$select=${select}&$top=${options.pageSize}`));
}

/** The usable users among Graph's answers that `ids` names (all of them for "all"). */
export function usersIn(
  raw: readonly unknown[],
  ids: ReadonlySet<string> | "all",
  by: UsersRead["by"],
  options: Pick<ScopedReadOptions, "logger">,
): UsersRead {
  const users = new Map<string, DirectoryUser>();
  for (const item of raw) {
    const user = toDirectoryUser(item, options.logger);
    if (user && (ids === "all" || ids.has(user.id))) users.set(user.id, user);
  }
  return { users, by };
}

/** Groups with their direct user members (read only for security-enabled groups). */
export async function readGroupsIn(
  api: GraphApi,
  ids: readonly string[] | "all",
  select: string,
  options: ScopedReadOptions,
): Promise<ScopedGroup[]> {
  const raw =
    ids === "all"
      ? await collect(api.items(`/groups?$select=${select}&$top=${options.pageSize}`))
      : inOrder(await readByIds(api, "groups", ids, `$select=${select}`, options), ids);
  const groups = raw.flatMap((item) => toDirectoryGroup(item, [], options.logger) ?? []);
  return readMembersOf(
    api,
    groups.map((g) => ({ id: g.id, attributes: g.attributes, memberUserIds: null, memberGroupIds: [] })),
    options,
  );
}

/** Fills `memberUserIds` and `memberGroupIds` of the security-enabled groups given (others keep null and []). */
export async function readMembersOf(
  api: GraphApi,
  groups: readonly ScopedGroup[],
  options: ScopedReadOptions,
): Promise<ScopedGroup[]> {
  const members = new Map<string, GroupMembers>();
  await forEachConcurrent(
    groups.filter((g) => readsMembers(g.attributes)),
    options.concurrency,
    async (g) => {
      const { pageSize, logger, membership, onMemberUser } = options;
      members.set(
        g.id,
        await readGroupMembers(api, g.id, { pageSize, logger, expandsNested: membership.expand, onMemberUser }),
      );
    },
  );
  return groups.map((g) => {
    const read = members.get(g.id);
    return { ...g, memberUserIds: read ? [...read.userIds] : null, memberGroupIds: read ? [...read.groupIds] : [] };
  });
}

/** Batches answer in any order; the snapshot keeps a stable one (the order asked). */
function inOrder(found: ReadonlyMap<string, unknown>, ids: readonly string[]): unknown[] {
  return ids.flatMap((id) => (found.has(id) ? [found.get(id)] : []));
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
