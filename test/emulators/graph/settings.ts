/**
 * Switches for behaviours Microsoft's docs leave open, so tests can run the agent against each
 * reading. One mutable object is shared by the store (which writes the change log) and the delta
 * handler (which renders it); the admin API changes it at run time.
 */

/**
 * Whether `groups/delta` reports a soft-deleted user leaving its groups (and a restored one
 * coming back). The group delta guide says a removed member shows "either by removing the
 * membership or by deleting the user object itself", and also that "users that have been
 * temporary deleted keep their group memberships and won't appear in the delta result until
 * they're permanently deleted" (microsoft-graph-docs-contrib concepts/delta-query-groups.md).
 * - `reported`: soft delete logs a `members@delta` removal in every group holding the user,
 *   restore logs the additions (the emulator's historical behaviour).
 * - `silent`: soft delete and restore leave no group change; only a hard delete is reported.
 * Either way the soft-deleted user is absent from `/groups/{id}/members` until restored.
 */
export type SoftDeleteMembership = "reported" | "silent";

/**
 * What a soft-deleted user's `users/delta` entry carries. The delta overview says removed
 * instances "are represented by their id and an @removed object" (concepts/delta-query-overview.md),
 * which does not rule out other properties.
 * - `idOnly`: `{ id, "@removed": { reason: "changed" } }`.
 * - `withProperties`: the selected properties of the deleted copy too, so its rewritten
 *   `userPrincipalName` (`<objectId without dashes><original UPN>`) reaches the reader.
 */
export type SoftDeletedUserDelta = "idOnly" | "withProperties";

export interface GraphEmulatorSettings {
  softDeleteMembership: SoftDeleteMembership;
  softDeletedUserDelta: SoftDeletedUserDelta;
}

/** The defaults keep what existing tests were written against. */
export function defaultSettings(): GraphEmulatorSettings {
  return { softDeleteMembership: "reported", softDeletedUserDelta: "idOnly" };
}

const MEMBERSHIP_MODES: readonly SoftDeleteMembership[] = ["reported", "silent"];
const USER_DELTA_FORMS: readonly SoftDeletedUserDelta[] = ["idOnly", "withProperties"];

/** Checks a value that may come from JSON (the HTTP admin API) before it is stored. */
export function parseSoftDeleteMembership(value: unknown): SoftDeleteMembership {
  const found = MEMBERSHIP_MODES.find((mode) => mode === value);
  if (found === undefined)
    throw new Error(`softDeleteMembership must be one of ${MEMBERSHIP_MODES.join(", ")}; got ${JSON.stringify(value)}`);
  return found;
}

export function parseSoftDeletedUserDelta(value: unknown): SoftDeletedUserDelta {
  const found = USER_DELTA_FORMS.find((form) => form === value);
  if (found === undefined)
    throw new Error(`softDeletedUserDelta must be one of ${USER_DELTA_FORMS.join(", ")}; got ${JSON.stringify(value)}`);
  return found;
}
