/**
 * The copy of a user that Entra keeps in deleted items. While soft-deleted, Entra rewrites the
 * user's `userPrincipalName` to `<objectId without dashes><original UPN>` (freeing the original
 * for reuse); a restore within 30 days brings the original back.
 *
 * Source: none of the stored Microsoft pages states the rewrite (searched user-delete.md,
 * directory-deleteditems-get/list/restore.md, resources/directory.md, entra-docs
 * fundamentals/users-restore.md). It is modelled on the project's reference,
 * /work/shared/reference/entra-provisioning.md ("Soft delete renames the user", from SCIM
 * integrators' reports: onyx PR #14074, buildbuddy PR #5831); public scripts that list
 * `directory/deletedItems/microsoft.graph.user` strip `id` without dashes from the UPN the same way.
 */
import type { StoredUser } from "./tenant-store.js";

export function deletedUserPrincipalName(id: string, userPrincipalName: string): string {
  return `${id.replaceAll("-", "")}${userPrincipalName}`;
}

/** The deleted-items copy: rewritten UPN (when it has one) and `deletedDateTime` set. */
export function deletedCopy(user: StoredUser, deletedAt: Date): StoredUser {
  const copy: StoredUser = { ...user, deletedDateTime: deletedAt.toISOString().replace(/\.\d{3}Z$/, "Z") };
  if (typeof user.userPrincipalName === "string")
    copy.userPrincipalName = deletedUserPrincipalName(user.id, user.userPrincipalName);
  return copy;
}
