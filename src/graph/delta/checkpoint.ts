/**
 * The incremental reader's checkpoint: delta links plus what a delta round needs to rebuild the
 * scope (users in scope with their attributes, groups in scope with their direct user members).
 * Stored as plain JSON by the state file; validated with zod when read back. Users are stored as
 * value arrays aligned with `userFields` (no repeated attribute names): 100,000 users stay
 * compact and quick to (de)serialise.
 */
import { z } from "zod";
import type { ReadScope, SnapshotRequest } from "../../cycle/index.js";
import {
  type AppRoleAssignment,
  largeArray,
  largeRecord,
  type PrincipalType,
  type ServicePrincipalInfo,
  type SourceAttributes,
} from "../../model/index.js";
import type { GroupMembers } from "../membership/expand-groups.js";
import type { ScopedGroup } from "../read/scope-snapshot.js";

export const CHECKPOINT_FORMAT = 1;

export interface CheckpointUser {
  /** Selected attributes, `id` included (as a snapshot's DirectoryUser holds them). */
  attributes: Record<string, unknown>;
  softDeleted: boolean;
}

/** The decoded checkpoint: mutable maps a delta round merges into. */
export interface DirectoryState {
  readonly selectKey: string;
  readonly fullReadAt: string;
  readonly deltaLinks: { readonly users: string; readonly groups: string };
  readonly servicePrincipal: ServicePrincipalInfo;
  readonly userFields: readonly string[];
  readonly users: Map<string, CheckpointUser>;
  readonly groups: Map<string, ScopedGroup>;
  /** Groups held only for their members (nested groups, groups scoping clauses name), so delta rounds keep them current. */
  readonly extraGroups: Map<string, GroupMembers>;
  /** In scope but unreadable last time (not found, soft-deleted, no userPrincipalName): re-read only when delta reports them. */
  readonly missingUserIds: Set<string>;
  /**
   * The app's assignments as last listed, for the leaver lane (which does not list them); null
   * in checkpoints written before the lane existed: the lane then lists them.
   */
  readonly assignments: readonly AppRoleAssignment[] | null;
}

const appRole = z.object({ id: z.string(), value: z.string().nullable(), displayName: z.string().nullable() });

const checkpointSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  selectKey: z.string(),
  fullReadAt: z.iso.datetime(),
  deltaLinks: z.object({ users: z.string().min(1), groups: z.string().min(1) }),
  servicePrincipal: z.object({
    id: z.string(),
    appId: z.string(),
    displayName: z.string(),
    appRoles: z.array(appRole),
  }),
  userFields: z.array(z.string()),
  users: largeRecord((value: unknown): value is unknown[] => Array.isArray(value), "arrays"),
  softDeletedUserIds: z.array(z.string()),
  missingUserIds: z.array(z.string()),
  groups: z.record(
    z.string(),
    z.object({
      attributes: z.record(z.string(), z.unknown()),
      memberUserIds: z.array(z.string()).nullable(),
      memberGroupIds: z.array(z.string()).default([]),
    }),
  ),
  extraGroups: z
    .record(z.string(), z.object({ userIds: z.array(z.string()), groupIds: z.array(z.string()) }))
    .default({}),
  /** [principalId, principalType, appRoleId] per assignment; absent in older checkpoints. */
  assignments: largeArray(isAssignmentTriple, "[principalId, principalType, appRoleId] triples").optional(),
});

const PRINCIPAL_TYPES: ReadonlySet<unknown> = new Set<PrincipalType>(["User", "Group", "ServicePrincipal"]);

function isAssignmentTriple(value: unknown): value is [string, PrincipalType, string] {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === "string" &&
    PRINCIPAL_TYPES.has(value[1]) &&
    typeof value[2] === "string"
  );
}

export interface SelectKeyInput {
  readonly endpoint: string;
  readonly app: SnapshotRequest["app"];
  readonly scope: ReadScope;
  readonly userSelect: string;
  readonly groupSelect: string;
  /** `graph.nestedGroups` and membership clauses, when used: a change needs a full read. */
  readonly membership?: unknown;
}

/** Changes whenever a delta link or the stored data could no longer serve the request. */
export function selectKeyOf(input: SelectKeyInput): string {
  const sorted = (list: string) => list.split(",").sort().join(",");
  return JSON.stringify({
    endpoint: input.endpoint,
    app: input.app,
    scope: input.scope,
    users: sorted(input.userSelect),
    groups: sorted(input.groupSelect),
    membership: input.membership,
  });
}

/** The user attribute names stored per user (`id` is the key). */
export function userFieldsOf(userSelect: string): string[] {
  return userSelect
    .split(",")
    .filter((name) => name !== "id")
    .sort();
}

export function encodeCheckpoint(state: DirectoryState): Record<string, unknown> {
  const users: Record<string, unknown[]> = {};
  const softDeletedUserIds: string[] = [];
  for (const [id, user] of state.users) {
    users[id] = state.userFields.map((field) =>
      Object.hasOwn(user.attributes, field) ? user.attributes[field] : null,
    );
    if (user.softDeleted) softDeletedUserIds.push(id);
  }
  const groups: Record<
    string,
    { attributes: SourceAttributes; memberUserIds: readonly string[] | null; memberGroupIds?: readonly string[] }
  > = {};
  for (const [id, group] of state.groups) {
    groups[id] = {
      attributes: group.attributes,
      memberUserIds: group.memberUserIds,
      ...(group.memberGroupIds?.length ? { memberGroupIds: group.memberGroupIds } : {}),
    };
  }
  return {
    format: CHECKPOINT_FORMAT,
    selectKey: state.selectKey,
    fullReadAt: state.fullReadAt,
    deltaLinks: state.deltaLinks,
    servicePrincipal: state.servicePrincipal,
    userFields: state.userFields,
    users,
    softDeletedUserIds,
    missingUserIds: [...state.missingUserIds],
    groups,
    ...(state.extraGroups.size > 0 ? { extraGroups: Object.fromEntries(state.extraGroups) } : {}),
    ...(state.assignments === null
      ? {}
      : { assignments: state.assignments.map((a) => [a.principalId, a.principalType, a.appRoleId]) }),
  };
}

export type DecodedCheckpoint =
  | { readonly ok: true; readonly state: DirectoryState }
  | { readonly ok: false; readonly reason: string };

export function decodeCheckpoint(
  raw: unknown,
  expected: { readonly selectKey: string; readonly userFields: readonly string[] },
): DecodedCheckpoint {
  const parsed = checkpointSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `the checkpoint is unusable (${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"})`,
    };
  }
  const data = parsed.data;
  if (data.selectKey !== expected.selectKey || data.userFields.join(",") !== expected.userFields.join(",")) {
    return { ok: false, reason: "the attribute selection, scope, app or Graph endpoint changed since the checkpoint" };
  }
  const softDeleted = new Set(data.softDeletedUserIds);
  const users = new Map<string, CheckpointUser>();
  for (const [id, values] of Object.entries(data.users)) {
    if (values.length !== data.userFields.length) {
      return {
        ok: false,
        reason: `the checkpoint is unusable (user ${id} has ${values.length} values for ${data.userFields.length} fields)`,
      };
    }
    const attributes: Record<string, unknown> = { id };
    data.userFields.forEach((field, i) => {
      attributes[field] = values[i];
    });
    users.set(id, { attributes, softDeleted: softDeleted.has(id) });
  }
  const groups = new Map<string, ScopedGroup>();
  for (const [id, group] of Object.entries(data.groups)) {
    groups.set(id, {
      id,
      attributes: group.attributes,
      memberUserIds: group.memberUserIds,
      memberGroupIds: group.memberGroupIds,
    });
  }
  return {
    ok: true,
    state: {
      selectKey: data.selectKey,
      fullReadAt: data.fullReadAt,
      deltaLinks: data.deltaLinks,
      servicePrincipal: data.servicePrincipal,
      userFields: data.userFields,
      users,
      groups,
      missingUserIds: new Set(data.missingUserIds),
      extraGroups: new Map(Object.entries(data.extraGroups)),
      assignments:
        data.assignments?.map(([principalId, principalType, appRoleId]) => ({
          principalId,
          principalType: principalType satisfies PrincipalType,
          appRoleId,
        })) ?? null,
    },
  };
}
