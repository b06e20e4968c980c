/**
 * Random tenant mutations, each done the way an administrator would (the Graph emulator's admin
 * API) and recorded in the model at the same time. Names are never reused, so every userName and
 * group name in Klaxoon points at exactly one model object.
 */
import type { Random } from "../fixtures/random.js";
import type { GraphEmulatorAdmin } from "../emulators/graph/index.js";
import { PRO_GROUP_NAME, type ModelGroup, type ModelUser, type TenantModel } from "./soak-model.js";

export interface MutationContext {
  readonly admin: GraphEmulatorAdmin;
  readonly model: TenantModel;
  readonly random: Random;
  /** A prefix unique to this soak run (the seed), so names never clash across runs. */
  readonly prefix: string;
  counter: number;
}

type Mutation = (ctx: MutationContext) => string | null;

const upnFor = (ctx: MutationContext): string => `${ctx.prefix}-u${++ctx.counter}@contoso.example`;
const nickOf = (upn: string): string => upn.split("@")[0] ?? upn;

function pickUser(ctx: MutationContext, where: (user: ModelUser) => boolean): ModelUser | null {
  const candidates = [...ctx.model.users.values()].filter(where);
  return candidates.length === 0 ? null : ctx.random.pick(candidates);
}

function pickGroup(ctx: MutationContext, where: (group: ModelGroup) => boolean = () => true): ModelGroup | null {
  const candidates = [...ctx.model.groups.values()].filter((g) => !g.deleted && where(g));
  return candidates.length === 0 ? null : ctx.random.pick(candidates);
}

const live = (user: ModelUser): boolean => !user.softDeleted && !user.hardDeleted;

export function createUser(ctx: MutationContext): string {
  const upn = upnFor(ctx);
  const stored = ctx.admin.addUser({
    userPrincipalName: upn,
    mail: upn,
    mailNickname: nickOf(upn),
    givenName: "Soak",
    surname: `User ${ctx.counter}`,
  });
  const user: ModelUser = {
    id: stored.id,
    userPrincipalName: upn,
    enabled: true,
    softDeleted: false,
    hardDeleted: false,
    directlyAssigned: false,
    names: [upn],
    provisioned: false,
    klaxoonUserName: null,
  };
  ctx.model.users.set(user.id, user);
  const roll = ctx.random.next();
  if (roll < 0.5) {
    ctx.admin.assign(user.id);
    user.directlyAssigned = true;
    return `create user ${upn} (assigned)`;
  }
  const group = roll < 0.8 ? pickGroup(ctx) : null;
  if (group) {
    ctx.admin.addMember(group.id, user.id);
    group.memberIds.add(user.id);
    return `create user ${upn} (member of ${group.displayName})`;
  }
  return `create user ${upn} (not assigned)`;
}

export function createGroup(ctx: MutationContext): string {
  const name = `${ctx.prefix} group ${++ctx.counter}`;
  const stored = ctx.admin.addGroup({ displayName: name, mailNickname: `${ctx.prefix}g${ctx.counter}` });
  const group: ModelGroup = {
    id: stored.id,
    displayName: name,
    assigned: false,
    deleted: false,
    memberIds: new Set(),
    provisioned: false,
    klaxoonDisplayName: null,
  };
  ctx.model.groups.set(group.id, group);
  if (ctx.random.next() < 0.6) {
    ctx.admin.assign(group.id);
    group.assigned = true;
  }
  return `create group ${name}${group.assigned ? " (assigned)" : ""}`;
}

const renameUser: Mutation = (ctx) => {
  const user = pickUser(ctx, live);
  if (!user) return null;
  const upn = upnFor(ctx);
  ctx.admin.updateUser(user.id, { userPrincipalName: upn, mail: upn, mailNickname: nickOf(upn) });
  const from = user.userPrincipalName;
  user.userPrincipalName = upn;
  user.names.push(upn);
  return `rename user ${from} → ${upn}`;
};

const toggleEnabled: Mutation = (ctx) => {
  const user = pickUser(ctx, live);
  if (!user) return null;
  user.enabled = !user.enabled;
  ctx.admin.updateUser(user.id, { accountEnabled: user.enabled });
  return `${user.enabled ? "enable" : "disable"} user ${user.userPrincipalName}`;
};

const softDeleteOrRestore: Mutation = (ctx) => {
  const user = pickUser(ctx, (u) => !u.hardDeleted);
  if (!user) return null;
  if (user.softDeleted) ctx.admin.restoreUser(user.id);
  else ctx.admin.softDeleteUser(user.id);
  user.softDeleted = !user.softDeleted;
  return `${user.softDeleted ? "soft-delete" : "restore"} user ${user.userPrincipalName}`;
};

/** Purges a user (live or in deleted items), as Entra does 30 days after a soft delete. */
const hardDeleteUser: Mutation = (ctx) => {
  const user = pickUser(ctx, (u) => !u.hardDeleted);
  if (!user) return null;
  ctx.admin.hardDeleteUser(user.id);
  user.hardDeleted = true;
  user.directlyAssigned = false;
  for (const group of ctx.model.groups.values()) group.memberIds.delete(user.id);
  return `hard-delete user ${user.userPrincipalName}`;
};

/** Deletes a group for good (a security group is not restorable); its Klaxoon group is left as it is. */
const deleteGroup: Mutation = (ctx) => {
  const group = pickGroup(ctx);
  if (!group) return null;
  ctx.admin.deleteGroup(group.id);
  group.deleted = true;
  group.assigned = false;
  return `delete group ${group.displayName}`;
};

const toggleUserAssignment: Mutation = (ctx) => {
  const user = pickUser(ctx, live);
  if (!user) return null;
  if (user.directlyAssigned) ctx.admin.unassign(user.id);
  else ctx.admin.assign(user.id);
  user.directlyAssigned = !user.directlyAssigned;
  return `${user.directlyAssigned ? "assign" : "unassign"} user ${user.userPrincipalName}`;
};

const toggleGroupAssignment: Mutation = (ctx) => {
  const group = pickGroup(ctx);
  if (!group) return null;
  if (group.assigned) ctx.admin.unassign(group.id);
  else ctx.admin.assign(group.id);
  group.assigned = !group.assigned;
  return `${group.assigned ? "assign" : "unassign"} group ${group.displayName}`;
};

/** Adds a user to a group, removes one, or moves one from a group to another. */
const moveMember: Mutation = (ctx) => {
  const user = pickUser(ctx, live);
  const to = pickGroup(ctx);
  if (!user || !to) return null;
  const from = pickGroup(ctx, (g) => g.memberIds.has(user.id));
  const roll = ctx.random.next();
  if (from && (roll < 0.6 || to.memberIds.has(user.id))) {
    ctx.admin.removeMember(from.id, user.id);
    from.memberIds.delete(user.id);
  }
  if (roll >= 0.3 && !to.memberIds.has(user.id)) {
    ctx.admin.addMember(to.id, user.id);
    to.memberIds.add(user.id);
  }
  return `member moves: ${user.userPrincipalName} now in [${[...ctx.model.groups.values()]
    .filter((g) => g.memberIds.has(user.id))
    .map((g) => g.displayName)
    .join(", ")}]`;
};

/** Renames a group to the PRO group (license "true") or back to an ordinary name ("false"). */
const flipLicense: Mutation = (ctx) => {
  const pro = pickGroup(ctx, (g) => g.displayName === PRO_GROUP_NAME);
  if (pro) return renameGroupTo(ctx, pro, `${ctx.prefix} group ${++ctx.counter}`);
  if (ctx.model.proGroupTaken()) return null;
  const group = pickGroup(ctx);
  return group ? renameGroupTo(ctx, group, PRO_GROUP_NAME) : null;
};

const renameGroup: Mutation = (ctx) => {
  const group = pickGroup(ctx, (g) => g.displayName !== PRO_GROUP_NAME);
  return group ? renameGroupTo(ctx, group, `${ctx.prefix} group ${++ctx.counter}`) : null;
};

function renameGroupTo(ctx: MutationContext, group: ModelGroup, name: string): string {
  const from = group.displayName;
  ctx.admin.updateGroup(group.id, { displayName: name });
  group.displayName = name;
  return `rename group ${from} → ${name}`;
}

/** Weighted: membership and assignment changes are what a tenant sees most. */
const MUTATIONS: readonly [Mutation, number][] = [
  [createUser, 3],
  [createGroup, 1],
  [renameUser, 2],
  [toggleEnabled, 2],
  [softDeleteOrRestore, 2],
  [toggleUserAssignment, 3],
  [toggleGroupAssignment, 1],
  [moveMember, 3],
  [flipLicense, 1],
  [renameGroup, 1],
  [hardDeleteUser, 1],
  [deleteGroup, 0.3],
];
const TOTAL_WEIGHT = MUTATIONS.reduce((sum, [, weight]) => sum + weight, 0);

/** Applies 1–4 random mutations; returns what was done, for the failure report. */
export function mutateRandomly(ctx: MutationContext): string[] {
  const done: string[] = [];
  const count = 1 + ctx.random.int(4);
  for (let attempt = 0; done.length < count && attempt < count * 5; attempt++) {
    const mutation = pickWeighted(ctx.random.next() * TOTAL_WEIGHT) ?? createUser;
    const description = mutation(ctx);
    if (description !== null) done.push(description);
  }
  return done;
}

/** The mutation whose share of the total weight `roll` falls in (MUTATIONS in order). */
function pickWeighted(roll: number): Mutation | undefined {
  let rest = roll;
  for (const [mutation, weight] of MUTATIONS) {
    rest -= weight;
    if (rest < 0) return mutation;
  }
  return undefined;
}
