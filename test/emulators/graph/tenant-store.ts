/**
 * The emulated directory: indexed maps plus cached, insertion-ordered lists so 100,000-user
 * tenants page in O(page). Every mutation bumps `version` (list caches) and appends to the
 * change log that delta queries read.
 */
import type {
  TenantAssignment, TenantData, TenantDevice, TenantGroup, TenantPrincipalType, TenantServicePrincipal, TenantUser,
} from "../../fixtures/tenant-types.js";

export type ObjectKind = "user" | "group" | "device" | "servicePrincipal";

/** A stored user: Graph attributes by name (tests may store malformed values on purpose). */
export type StoredUser = Record<string, unknown> & { id: string };
export type StoredGroup = Omit<TenantGroup, "memberIds"> & { members: Set<string> };

export interface Change {
  readonly seq: number;
  readonly kind: "user" | "group";
  readonly id: string;
  /** For group member changes: the member and whether it was removed. */
  readonly member?: { readonly id: string; readonly removed: boolean };
}

export class TenantStore {
  readonly tenantId: string;
  readonly app: TenantServicePrincipal;
  readonly servicePrincipals = new Map<string, TenantServicePrincipal>();
  readonly users = new Map<string, StoredUser>();
  readonly deletedUsers = new Map<string, StoredUser>();
  readonly groups = new Map<string, StoredGroup>();
  readonly devices = new Map<string, TenantDevice>();
  readonly assignments = new Map<string, TenantAssignment>();
  readonly changes: Change[] = [];
  private readonly upnIndex = new Map<string, string>();
  private version = 0;
  private readonly cache = new Map<string, { version: number; value: unknown[] }>();

  constructor(data: TenantData) {
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
    if (previous && typeof previous.userPrincipalName === "string") this.upnIndex.delete(previous.userPrincipalName.toLowerCase());
    this.users.set(user.id, user);
    if (typeof user.userPrincipalName === "string") this.upnIndex.set(user.userPrincipalName.toLowerCase(), user.id);
    this.touch({ kind: "user", id: user.id });
  }

  softDeleteUser(id: string): void {
    const user = this.mustUser(id);
    this.users.delete(id);
    if (typeof user.userPrincipalName === "string") this.upnIndex.delete(user.userPrincipalName.toLowerCase());
    this.deletedUsers.set(id, user);
    this.touch({ kind: "user", id });
    // Like Entra: a deleted user leaves its groups (member listings skip it, groups delta reports
    // the removal) and a restored one gets its memberships back (reported as additions).
    this.touchMemberships(id, true);
  }

  restoreUser(id: string): void {
    const user = this.deletedUsers.get(id);
    if (!user) throw new Error(`no soft-deleted user ${id}`);
    this.deletedUsers.delete(id);
    this.putUser(user);
    this.touchMemberships(id, false);
  }

  private touchMemberships(userId: string, removed: boolean): void {
    for (const group of this.groups.values()) if (group.members.has(userId)) this.touch({ kind: "group", id: group.id, member: { id: userId, removed } });
  }

  hardDeleteUser(id: string): void {
    if (this.users.has(id)) this.softDeleteUser(id);
    this.deletedUsers.delete(id);
    for (const group of this.groups.values()) if (group.members.delete(id)) this.touch({ kind: "group", id: group.id, member: { id, removed: true } });
    for (const [key, assignment] of this.assignments) if (assignment.principalId === id) this.assignments.delete(key);
    this.touch({ kind: "user", id });
  }

  putGroup(group: TenantGroup): void {
    const { memberIds, ...rest } = group;
    this.groups.set(group.id, { ...rest, members: new Set(memberIds) });
    this.touch({ kind: "group", id: group.id });
  }

  deleteGroup(id: string): void {
    this.groups.delete(id);
    for (const [key, assignment] of this.assignments) if (assignment.principalId === id) this.assignments.delete(key);
    this.touch({ kind: "group", id });
  }

  addMember(groupId: string, memberId: string): void {
    this.mustGroup(groupId).members.add(memberId);
    this.touch({ kind: "group", id: groupId, member: { id: memberId, removed: false } });
  }

  removeMember(groupId: string, memberId: string): void {
    this.mustGroup(groupId).members.delete(memberId);
    this.touch({ kind: "group", id: groupId, member: { id: memberId, removed: true } });
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
    return kind === "user" ? "User" : kind === "group" ? "Group" : kind === "servicePrincipal" ? "ServicePrincipal" : null;
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
