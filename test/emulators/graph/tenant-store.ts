/**
 * The emulated directory: indexed maps plus cached, insertion-ordered lists so 100,000-user
 * tenants page in O(page). Every mutation bumps `version` (list caches) and appends to the
 * change log that delta queries read.
 */
import type {
  TenantAssignment,
  TenantData,
  TenantDevice,
  TenantGroup,
  TenantPrincipalType,
  TenantServicePrincipal,
} from "../../fixtures/tenant-types.js";
import { DeletedItems } from "./deleted-items.js";
import { defaultSettings, type GraphEmulatorSettings } from "./settings.js";

export type ObjectKind = "user" | "group" | "device" | "servicePrincipal";

/** A stored user: Graph attributes by name (tests may store malformed values on purpose). */
export type StoredUser = Record<string, unknown> & { id: string };
export type StoredGroup = Omit<TenantGroup, "memberIds"> & { members: Set<string> };

export interface Change {
  readonly seq: number;
  readonly kind: "user" | "group";
  readonly id: string;
  /**
   * For group member changes: the member, its type (recorded at the time, since a hard-deleted
   * member can no longer be looked up) and whether it was removed.
   */
  readonly member?: { readonly id: string; readonly kind: ObjectKind; readonly removed: boolean };
}

export class TenantStore {
  readonly tenantId: string;
  readonly app: TenantServicePrincipal;
  readonly servicePrincipals = new Map<string, TenantServicePrincipal>();
  readonly users = new Map<string, StoredUser>();
  readonly deleted = new DeletedItems();
  readonly groups = new Map<string, StoredGroup>();
  readonly devices = new Map<string, TenantDevice>();
  readonly assignments = new Map<string, TenantAssignment>();
  readonly changes: Change[] = [];
  private readonly upnIndex = new Map<string, string>();
  private version = 0;
  private readonly cache = new Map<string, { version: number; value: unknown[] }>();
  /** Shared with the delta handler and the admin API, which may change it between cycles. */
  readonly settings: GraphEmulatorSettings;

  constructor(data: TenantData, settings: GraphEmulatorSettings = defaultSettings()) {
    this.settings = settings;
    this.tenantId = data.tenantId;
    this.app = data.app;
    this.servicePrincipals.set(data.app.id, data.app);
    for (const sp of data.servicePrincipals) this.servicePrincipals.set(sp.id, sp);
    for (const user of data.users) this.putUser({ ...user });
    for (const group of data.groups) {
      const { memberIds, ...rest } = group;
      this.groups.set(group.id, { ...rest, members: new Set(memberIds) });
    }
    for (const device of data.devices) this.devices.set(device.id, device);
    for (const assignment of data.assignments) this.assignments.set(assignment.id, assignment);
  }

  get seq(): number {
    return this.changes.length;
  }

  /** Soft-deleted users as Graph shows them (rewritten `userPrincipalName`). */
  get deletedUsers(): ReadonlyMap<string, StoredUser> {
    return this.deleted.users;
  }

  kindOf(id: string): ObjectKind | null {
    if (this.users.has(id)) return "user";
    if (this.groups.has(id)) return "group";
    if (this.devices.has(id)) return "device";
    if (this.servicePrincipals.has(id)) return "servicePrincipal";
    return null;
  }

  findUser(idOrUpn: string): StoredUser | undefined {
    return this.users.get(idOrUpn) ?? this.users.get(this.upnIndex.get(idOrUpn.toLowerCase()) ?? "");
  }

  listUsers(): StoredUser[] {
    return this.cached("users", () => [...this.users.values()]);
  }

  listGroups(): StoredGroup[] {
    return this.cached("groups", () => [...this.groups.values()]);
  }

  listAssignments(): TenantAssignment[] {
    return this.cached("assignments", () => [...this.assignments.values()]);
  }

  listMembers(groupId: string): string[] {
    return this.cached(`members:${groupId}`, () => [...(this.groups.get(groupId)?.members ?? [])]);
  }

  principalDisplayName(id: string): string | null {
    const user = this.users.get(id);
    if (user) return typeof user.displayName === "string" ? user.displayName : null;
    return this.groups.get(id)?.displayName ?? this.servicePrincipals.get(id)?.displayName ?? null;
  }

  // --- mutations (the admin API calls these) ---

  putUser(user: StoredUser): void {
    const previous = this.users.get(user.id);
    if (previous && typeof previous.userPrincipalName === "string")
      this.upnIndex.delete(previous.userPrincipalName.toLowerCase());
    this.users.set(user.id, user);
    if (typeof user.userPrincipalName === "string") this.upnIndex.set(user.userPrincipalName.toLowerCase(), user.id);
    this.touch({ kind: "user", id: user.id });
  }

  softDeleteUser(id: string): void {
    const user = this.mustUser(id);
    this.users.delete(id);
    this.unindex(user);
    this.deleted.putUser(user);
    this.touch({ kind: "user", id });
    // The user keeps its memberships (member listings skip it while deleted); whether groups delta
    // reports it leaving is a setting, since Microsoft's docs allow both (see settings.ts).
    if (this.settings.softDeleteMembership === "reported") this.touchMemberships(id, false);
  }

  /** Brings back the user as it was, original `userPrincipalName` included. */
  restoreUser(id: string): void {
    const original = this.deleted.originalUser(id);
    if (!original) throw new Error(`no soft-deleted user ${id}`);
    // The rewrite freed the original UPN; Entra refuses a restore onto a UPN someone else took since.
    const holder =
      typeof original.userPrincipalName === "string"
        ? this.upnIndex.get(original.userPrincipalName.toLowerCase())
        : undefined;
    if (holder !== undefined && holder !== id)
      throw new Error(
        `cannot restore ${id}: userPrincipalName ${String(original.userPrincipalName)} now belongs to ${holder}`,
      );
    this.deleted.removeUser(id);
    this.putUser(original);
    if (this.settings.softDeleteMembership === "reported") this.touchMemberships(id, true);
  }

  private touchMemberships(userId: string, added: boolean): void {
    for (const group of this.groups.values()) {
      if (group.members.has(userId))
        this.touch({ kind: "group", id: group.id, member: { id: userId, kind: "user", removed: !added } });
    }
  }

  /**
   * Permanent deletion, of a live user (as if deleted and purged from deleted items before the
   * next read) or of a soft-deleted one. Either way, in both membership modes, groups delta
   * reports the user leaving: "Only users that have been permanently deleted are removed from
   * groups" (concepts/delta-query-groups.md).
   */
  hardDeleteUser(id: string): void {
    const live = this.users.get(id);
    if (live) {
      this.users.delete(id);
      this.unindex(live);
    }
    this.deleted.removeUser(id);
    this.deleted.forgetMember(id);
    for (const group of this.groups.values()) {
      if (group.members.delete(id))
        this.touch({ kind: "group", id: group.id, member: { id, kind: "user", removed: true } });
    }
    this.dropAssignments(id);
    this.touch({ kind: "user", id });
  }

  putGroup(group: TenantGroup): void {
    const { memberIds, ...rest } = group;
    this.groups.set(group.id, { ...rest, members: new Set(memberIds) });
    this.touch({ kind: "group", id: group.id });
  }

  /**
   * Deletes a group as Entra does: a Microsoft 365 group (`groupTypes` holds "Unified") goes to
   * deleted items (delta `@removed: changed`), any other group is gone for good (`deleted`) —
   * concepts/delta-query-groups.md.
   */
  deleteGroup(id: string): void {
    const group = this.mustGroup(id);
    if (!group.groupTypes.includes("Unified")) {
      this.hardDeleteGroup(id);
      return;
    }
    this.groups.delete(id);
    this.deleted.putGroup(group, this.dropAssignments(id));
    this.touch({ kind: "group", id });
  }

  /** Brings back a soft-deleted Microsoft 365 group with its members and assignments. */
  restoreGroup(id: string): void {
    const deleted = this.deleted.groups.get(id);
    if (!deleted) throw new Error(`no soft-deleted group ${id}`);
    this.deleted.groups.delete(id);
    this.groups.set(id, deleted.group);
    for (const assignment of deleted.assignments) this.assignments.set(assignment.id, assignment);
    this.touch({ kind: "group", id });
    // A reader that dropped the group on `@removed` needs its (live) members again.
    for (const memberId of deleted.group.members) {
      const kind = this.kindOf(memberId);
      if (kind) this.touch({ kind: "group", id, member: { id: memberId, kind, removed: false } });
    }
  }

  /** Permanent deletion of a live or soft-deleted group; groups it belonged to report it leaving. */
  hardDeleteGroup(id: string): void {
    if (!this.groups.delete(id) && !this.deleted.groups.delete(id)) throw new Error(`no group ${id}`);
    this.dropAssignments(id);
    this.deleted.forgetMember(id);
    for (const parent of this.groups.values()) {
      if (parent.members.delete(id))
        this.touch({ kind: "group", id: parent.id, member: { id, kind: "group", removed: true } });
    }
    this.touch({ kind: "group", id });
  }

  addMember(groupId: string, memberId: string): void {
    this.mustGroup(groupId).members.add(memberId);
    this.touch({
      kind: "group",
      id: groupId,
      member: { id: memberId, kind: this.memberKind(memberId), removed: false },
    });
  }

  removeMember(groupId: string, memberId: string): void {
    this.mustGroup(groupId).members.delete(memberId);
    this.touch({
      kind: "group",
      id: groupId,
      member: { id: memberId, kind: this.memberKind(memberId), removed: true },
    });
  }

  assign(assignment: TenantAssignment): void {
    this.assignments.set(assignment.id, assignment);
    this.version += 1;
  }

  unassign(principalId: string, appRoleId?: string): number {
    let removed = 0;
    for (const [key, a] of this.assignments) {
      if (a.principalId === principalId && (appRoleId === undefined || a.appRoleId === appRoleId)) {
        this.assignments.delete(key);
        removed += 1;
      }
    }
    this.version += 1;
    return removed;
  }

  principalTypeOf(id: string): TenantPrincipalType | null {
    const kind = this.kindOf(id);
    return kind === "user"
      ? "User"
      : kind === "group"
        ? "Group"
        : kind === "servicePrincipal"
          ? "ServicePrincipal"
          : null;
  }

  /** Unknown ids count as users, as before member kinds were recorded. */
  private memberKind(id: string): ObjectKind {
    if (this.deleted.users.has(id)) return "user";
    if (this.deleted.groups.has(id)) return "group";
    return this.kindOf(id) ?? "user";
  }

  private unindex(user: StoredUser): void {
    if (typeof user.userPrincipalName === "string") this.upnIndex.delete(user.userPrincipalName.toLowerCase());
  }

  /** Removes the principal's assignments and returns them. */
  private dropAssignments(principalId: string): TenantAssignment[] {
    const dropped: TenantAssignment[] = [];
    for (const [key, assignment] of this.assignments) {
      if (assignment.principalId !== principalId) continue;
      this.assignments.delete(key);
      dropped.push(assignment);
    }
    return dropped;
  }

  private mustUser(id: string): StoredUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  }

  private mustGroup(id: string): StoredGroup {
    const group = this.groups.get(id);
    if (!group) throw new Error(`no group ${id}`);
    return group;
  }

  private touch(change: Omit<Change, "seq">): void {
    this.version += 1;
    this.changes.push({ ...change, seq: this.changes.length + 1 });
  }

  private cached<T>(key: string, build: () => T[]): T[] {
    const hit = this.cache.get(key);
    if (hit && hit.version === this.version) return hit.value as T[];
    const value = build();
    this.cache.set(key, { version: this.version, value });
    return value;
  }
}
