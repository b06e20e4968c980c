/**
 * Answers membership scoping clauses (`memberOf IS MEMBER OF <group id>`) from the snapshot:
 * the reader has read each named group's members once this cycle, so scoping a user costs a
 * set lookup, never a Graph call.
 */
import type { DirectorySnapshot } from "../model/index.js";
import type { MembershipLookup } from "../scope/index.js";

export function membershipLookupFor(snapshot: DirectorySnapshot): (userId: string) => MembershipLookup {
  const memberships = snapshot.memberships ?? new Map();
  return (userId) => (groupId, transitive) => {
    const named = memberships.get(groupId);
    if (named) return (transitive ? named.transitive : named.direct).has(userId);
    // A reader that did not resolve the group (a test fake): the snapshot's own members, else none.
    return snapshot.groups.get(groupId)?.memberUserIds.includes(userId) ?? false;
  };
}
