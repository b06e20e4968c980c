/**
 * The soak's model: a plain record of the Entra tenant the test built, and the Klaxoon state
 * that follows from it by the provisioning rules alone (never by the agent's own planner):
 * - in scope = assigned directly, or a direct member of an assigned group;
 * - in scope, enabled and not soft-deleted → the account exists and is active;
 * - ever provisioned but now disabled, soft-deleted or out of scope → it exists, inactive;
 * - never provisioned (never in scope while enabled) → absent;
 * - an account keeps the userName it had when the user was last read in scope;
 * - groups: assigned → exist with their Entra name; unassigned later → left as they were;
 *   license "true" exactly for the group named "Klaxoon PRO" (the default mappings);
 *   an assigned group holds its active members; a soft-deleted one leaves its Klaxoon groups (and
 *   the license they carry) and comes back when restored; a disabled one is kept where it was
 *   but never added (so it may or may not be there).
 */
export const PRO_GROUP_NAME = "Klaxoon PRO";

export interface ModelUser {
  readonly id: string;
  userPrincipalName: string;
  enabled: boolean;
  softDeleted: boolean;
  /** Purged from Entra for good (its groups and assignments gone): deactivated, never back. */
  hardDeleted: boolean;
  directlyAssigned: boolean;
  /** Every name the user had, for matching recorded deactivations. */
  readonly names: string[];
  /** Klaxoon holds an account for this user (settled after a converged cycle). */
  provisioned: boolean;
  /** The userName that account carries. */
  klaxoonUserName: string | null;
}

export interface ModelGroup {
  readonly id: string;
  displayName: string;
  assigned: boolean;
  /** Deleted in Entra: its Klaxoon group is left as it was, like an unassigned one. */
  deleted: boolean;
  readonly memberIds: Set<string>;
  provisioned: boolean;
  klaxoonDisplayName: string | null;
}

export interface ExpectedUser {
  readonly userName: string;
  readonly active: boolean;
}

export interface ExpectedGroup {
  readonly displayName: string;
  readonly license: "true" | "false";
  /** Member userNames Klaxoon must hold exactly; null for a group left alone (unassigned). */
  readonly members: ReadonlySet<string> | null;
  /** Members that may or may not be there: disabled users (kept where they were, never added). */
  readonly optionalMembers: ReadonlySet<string>;
}

export interface ExpectedKlaxoon {
  readonly users: ReadonlyMap<string, ExpectedUser>;
  readonly groups: ReadonlyMap<string, ExpectedGroup>;
}

export class TenantModel {
  readonly users = new Map<string, ModelUser>();
  readonly groups = new Map<string, ModelGroup>();

  /** Assigned directly, or a direct member of an assigned group. */
  inScope(user: ModelUser): boolean {
    if (user.directlyAssigned) return true;
    for (const group of this.groups.values()) if (group.assigned && group.memberIds.has(user.id)) return true;
    return false;
  }

  shouldBeActive(user: ModelUser): boolean {
    return this.inScope(user) && user.enabled && !user.softDeleted && !user.hardDeleted;
  }

  /** The agent reads the user in scope this cycle (a deleted user is gone from Entra's lists). */
  private readInScope(user: ModelUser): boolean {
    return this.inScope(user) && !user.softDeleted && !user.hardDeleted;
  }

  private exists(user: ModelUser): boolean {
    return this.shouldBeActive(user) || user.provisioned;
  }

  private userNameInKlaxoon(user: ModelUser): string {
    return this.readInScope(user) || user.klaxoonUserName === null ? user.userPrincipalName : user.klaxoonUserName;
  }

  expected(): ExpectedKlaxoon {
    const users = new Map<string, ExpectedUser>();
    for (const user of this.users.values()) {
      if (!this.exists(user)) continue;
      const userName = this.userNameInKlaxoon(user);
      users.set(userName, { userName, active: this.shouldBeActive(user) });
    }
    const groups = new Map<string, ExpectedGroup>();
    for (const group of this.groups.values()) {
      if (!group.assigned && !group.provisioned) continue;
      const displayName =
        group.assigned || group.klaxoonDisplayName === null ? group.displayName : group.klaxoonDisplayName;
      const members = new Set<string>();
      const optionalMembers = new Set<string>();
      for (const id of group.memberIds) {
        const user = this.users.get(id);
        if (!user || !this.exists(user) || user.softDeleted || user.hardDeleted) continue;
        (this.shouldBeActive(user) ? members : optionalMembers).add(this.userNameInKlaxoon(user));
      }
      groups.set(displayName, {
        displayName,
        license: displayName === PRO_GROUP_NAME ? "true" : "false",
        members: group.assigned ? members : null,
        optionalMembers,
      });
    }
    return { users, groups };
  }

  /** After a converged cycle, Klaxoon holds `expected()`: remember what now exists and under which name. */
  settle(): void {
    for (const user of this.users.values()) {
      if (!this.exists(user)) continue;
      user.klaxoonUserName = this.userNameInKlaxoon(user);
      user.provisioned = true;
    }
    for (const group of this.groups.values()) {
      if (!group.assigned) continue;
      group.provisioned = true;
      group.klaxoonDisplayName = group.displayName;
    }
  }

  /** A recorded deactivation is legitimate when the model says that account should be inactive now. */
  deactivationIsLegitimate(userName: string): boolean {
    const wanted = userName.toLowerCase();
    for (const user of this.users.values()) {
      if (user.names.some((name) => name.toLowerCase() === wanted)) return !this.shouldBeActive(user);
    }
    return false;
  }

  /** True when some group is, or is held in Klaxoon as, the PRO group. */
  proGroupTaken(): boolean {
    for (const group of this.groups.values())
      if (group.displayName === PRO_GROUP_NAME || group.klaxoonDisplayName === PRO_GROUP_NAME) return true;
    return false;
  }
}
