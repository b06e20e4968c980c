/**
 * Entra's deleted items container: soft-deleted users and Microsoft 365 groups, restorable for
 * 30 days (api-reference/v1.0/resources/directory.md). Security groups never land here: "Deleted
 * security groups are deleted permanently and can't be retrieved through this API"
 * (api-reference/v1.0/api/directory-deleteditems-list.md). The emulator keeps no clock: items stay
 * until restored or hard-deleted.
 */
import type { TenantAssignment } from "../../fixtures/tenant-types.js";
import { deletedCopy } from "./deleted-user.js";
import type { StoredGroup, StoredUser } from "./tenant-store.js";

export interface DeletedGroup {
  readonly group: StoredGroup;
  readonly deletedDateTime: string;
  /** Its app role assignments, parked so a restore brings them back. */
  readonly assignments: readonly TenantAssignment[];
}

export class DeletedItems {
  /** Users as Graph shows them while deleted: rewritten UPN, `deletedDateTime` set. */
  readonly users = new Map<string, StoredUser>();
  readonly groups = new Map<string, DeletedGroup>();
  /** What a restore puts back: the user as it was before deletion. */
  private readonly originals = new Map<string, StoredUser>();

  putUser(user: StoredUser, at: Date = new Date()): void {
    this.originals.set(user.id, user);
    this.users.set(user.id, deletedCopy(user, at));
  }

  /** The user as it was before deletion, if it is in deleted items. */
  originalUser(id: string): StoredUser | undefined {
    return this.originals.get(id);
  }

  removeUser(id: string): void {
    this.users.delete(id);
    this.originals.delete(id);
  }

  putGroup(group: StoredGroup, assignments: readonly TenantAssignment[], at: Date = new Date()): void {
    this.groups.set(group.id, { group, assignments, deletedDateTime: at.toISOString().replace(/\.\d{3}Z$/, "Z") });
  }

  /** A hard-deleted object is no member of anything, deleted groups included. */
  forgetMember(memberId: string): void {
    for (const { group } of this.groups.values()) group.members.delete(memberId);
  }
}
