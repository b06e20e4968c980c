/** Mutations tests apply between cycles: the same operations an administrator does in Entra. */
import { randomUUID } from "node:crypto";
import { DEFAULT_ACCESS_ROLE_ID, type TenantGroup, type TenantPrincipalType } from "../../fixtures/tenant-types.js";
import { appRole } from "../../fixtures/tenant.js";
import type { DeltaState } from "./delta.js";
import type { GraphPermission, IdentityState } from "./identity.js";
import {
  parseSoftDeleteMembership,
  parseSoftDeletedUserDelta,
  type GraphEmulatorSettings,
  type SoftDeleteMembership,
  type SoftDeletedUserDelta,
} from "./settings.js";
import type { StoredUser, TenantStore } from "./tenant-store.js";

export class GraphEmulatorAdmin {
  private readonly store: TenantStore;
  private readonly identity: IdentityState;
  private readonly delta: DeltaState;

  constructor(store: TenantStore, identity: IdentityState, delta: DeltaState) {
    this.store = store;
    this.identity = identity;
    this.delta = delta;
  }

  /** Adds a user; missing attributes get plausible values. Returns the stored user. */
  addUser(attributes: Partial<StoredUser> = {}): StoredUser {
    const id = attributes.id ?? randomUUID();
    const nick = `user.${id.slice(0, 8)}`;
    const user: StoredUser = {
      id,
      userPrincipalName: `${nick}@contoso.example`,
      mail: `${nick}@contoso.example`,
      mailNickname: nick,
      givenName: "New",
      surname: "User",
      displayName: "New User",
      accountEnabled: true,
      department: null,
      jobTitle: null,
      employeeId: null,
      userType: "Member",
      preferredLanguage: null,
      onPremisesExtensionAttributes: {},
      ...attributes,
    };
    this.store.putUser(user);
    return user;
  }

  updateUser(id: string, patch: Record<string, unknown>): StoredUser {
    const user = this.store.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    const updated: StoredUser = { ...user, ...patch, id };
    this.store.putUser(updated);
    return updated;
  }

  disableUser(id: string): void {
    this.updateUser(id, { accountEnabled: false });
  }

  /** Moves the user to deleted items, its `userPrincipalName` rewritten to `<id without dashes><UPN>`. */
  softDeleteUser(id: string): void {
    this.store.softDeleteUser(id);
  }

  /** Brings a soft-deleted user back with its original `userPrincipalName` (fails if another user took it). */
  restoreUser(id: string): void {
    this.store.restoreUser(id);
  }

  /** Permanently deletes a live or soft-deleted user: users delta `deleted`, groups delta reports it leaving. */
  hardDeleteUser(id: string): void {
    this.store.hardDeleteUser(id);
  }

  addGroup(group: Partial<TenantGroup> = {}): TenantGroup {
    const id = group.id ?? randomUUID();
    const full: TenantGroup = {
      id,
      displayName: `Group ${id.slice(0, 8)}`,
      description: null,
      mailNickname: `group${id.slice(0, 8)}`,
      mail: null,
      securityEnabled: true,
      mailEnabled: false,
      groupTypes: [],
      memberIds: [],
      ...group,
    };
    this.store.putGroup(full);
    return full;
  }

  /** Changes a group's properties (members unchanged); delta reports the group. */
  updateGroup(id: string, patch: Partial<Omit<TenantGroup, "id" | "memberIds">>): void {
    const group = this.store.groups.get(id);
    if (!group) throw new Error(`no group ${id}`);
    const { members, ...rest } = group;
    this.store.putGroup({ ...rest, ...patch, id, memberIds: [...members] });
  }

  /** As Entra: a Microsoft 365 ("Unified") group goes to deleted items (delta `changed`), others are gone (`deleted`). */
  deleteGroup(id: string): void {
    this.store.deleteGroup(id);
  }

  restoreGroup(id: string): void {
    this.store.restoreGroup(id);
  }

  /** Permanently deletes a live or soft-deleted group. */
  hardDeleteGroup(id: string): void {
    this.store.hardDeleteGroup(id);
  }

  addMember(groupId: string, memberId: string): void {
    this.store.addMember(groupId, memberId);
  }

  removeMember(groupId: string, memberId: string): void {
    this.store.removeMember(groupId, memberId);
  }

  /** Assigns a user, group or service principal to the Klaxoon app (default access role unless given). */
  assign(principalId: string, appRoleId: string = DEFAULT_ACCESS_ROLE_ID): string {
    const principalType: TenantPrincipalType | null = this.store.principalTypeOf(principalId);
    if (!principalType) throw new Error(`no principal ${principalId}`);
    const id = Buffer.from(randomUUID().replaceAll("-", ""), "hex").toString("base64url").padEnd(43, "A");
    this.store.assign({ id, principalId, principalType, appRoleId, createdDateTime: new Date().toISOString() });
    return id;
  }

  unassign(principalId: string, appRoleId?: string): number {
    return this.store.unassign(principalId, appRoleId);
  }

  /** Adds an app role to the Klaxoon app (an administrator editing its manifest). */
  addAppRole(value: string, displayName: string = value): string {
    const id = randomUUID();
    this.store.app.appRoles.push(appRole(id, value, displayName));
    return id;
  }

  /** Application permissions granted to a client (admin consent); takes effect on the next request. */
  setPermissions(clientId: string, permissions: readonly GraphPermission[]): void {
    const client = this.identity.clients.get(clientId);
    if (!client) throw new Error(`no client ${clientId}`);
    client.permissions = new Set(permissions);
  }

  addSecret(clientId: string, secret: string): void {
    this.identity.register(clientId, { secret });
  }

  revokeSecrets(clientId: string): void {
    this.identity.clients.get(clientId)?.secrets.clear();
  }

  /** Accept federated (workload identity) tokens with this subject for the client. */
  addFederatedSubject(clientId: string, subject: string): void {
    this.identity.register(clientId).federatedSubjects.add(subject);
  }

  /** Whether groups delta reports soft deletes and restores made from now on (see settings.ts). */
  setSoftDeleteMembership(mode: SoftDeleteMembership): void {
    this.store.settings.softDeleteMembership = parseSoftDeleteMembership(mode);
  }

  /** What a soft-deleted user's users/delta entry carries, from the next delta page served (see settings.ts). */
  setSoftDeletedUserDelta(form: SoftDeletedUserDelta): void {
    this.store.settings.softDeletedUserDelta = parseSoftDeletedUserDelta(form);
  }

  getSettings(): GraphEmulatorSettings {
    return { ...this.store.settings };
  }

  /** Every delta token issued so far now answers 410 (as after 7 days). */
  expireDeltaTokens(): void {
    this.delta.expire();
  }

  /** Access tokens issued so far stop working (401 on Graph). */
  revokeAccessTokens(): void {
    this.identity.tokens.clear();
  }
}

/** Admin operations reachable over HTTP (`POST /_admin/{name}` with a JSON array of arguments). */
export const HTTP_ADMIN_OPERATIONS = [
  "addUser",
  "updateUser",
  "disableUser",
  "softDeleteUser",
  "restoreUser",
  "hardDeleteUser",
  "addGroup",
  "updateGroup",
  "deleteGroup",
  "restoreGroup",
  "hardDeleteGroup",
  "addMember",
  "removeMember",
  "assign",
  "unassign",
  "setPermissions",
  "addSecret",
  "revokeSecrets",
  "addFederatedSubject",
  "expireDeltaTokens",
  "revokeAccessTokens",
  "setSoftDeleteMembership",
  "setSoftDeletedUserDelta",
  "getSettings",
] as const;
