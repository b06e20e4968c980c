import type { CompiledMappingSet, MappingRuntime } from "../mapping/index.js";
import { groupSourceView, mapResource, userSourceView } from "../mapping/index.js";
import type { DirectorySnapshot } from "../model/index.js";
import type { DesiredObject } from "../plan/index.js";
import type { CompiledScope } from "../scope/index.js";
import { membershipLookupFor } from "./membership-lookup.js";

export interface DesiredKind {
  readonly desired: DesiredObject[];
  readonly outOfScope: Set<string>;
  readonly failed: { readonly sourceId: string; readonly label: string; readonly reason: string }[];
}

export interface DesiredState {
  readonly users: DesiredKind;
  readonly groups: DesiredKind;
  /** Group source id → member user source ids: in scope and not soft-deleted (see below). */
  readonly members: Map<string, readonly string[]>;
  /**
   * False when a mapping read the clock or drew a random value (Now(), RandomString…): the same
   * snapshot may then map to other values next time, so no cycle may be skipped as quiet.
   */
  readonly repeatable?: boolean;
}

/** Scope, then map: the snapshot becomes the SCIM resources Klaxoon should hold. */
export function computeDesiredState(
  snapshot: DirectorySnapshot,
  mappings: CompiledMappingSet,
  scopes: { readonly users: CompiledScope; readonly groups: CompiledScope },
  given: MappingRuntime,
): DesiredState {
  let repeatable = true;
  const runtime: MappingRuntime = {
    now: () => {
      repeatable = false;
      return given.now();
    },
    random: () => {
      repeatable = false;
      return given.random();
    },
  };
  const users: DesiredKind = { desired: [], outOfScope: new Set(), failed: [] };
  const memberOf = membershipLookupFor(snapshot);
  for (const user of snapshot.users.values()) {
    const view = userSourceView(user, snapshot.userAssignments.get(user.id) ?? [], snapshot.servicePrincipal.appRoles);
    const label = String(user.attributes["userPrincipalName"] ?? user.id);
    if (!scopes.users.isInScope(view, memberOf(user.id))) {
      users.outOfScope.add(user.id);
      continue;
    }
    const outcome = mapResource("user", user.id, label, view, mappings.users, runtime);
    if (!outcome.ok) {
      users.failed.push(outcome);
      continue;
    }
    const { resource } = outcome;
    const disabled = user.attributes["accountEnabled"] === false;
    const inactiveReason = user.softDeleted ? "softDeleted" : disabled ? "disabled" : undefined;
    users.desired.push(inactiveReason ? { resource, inactiveReason } : { resource });
  }

  const groups: DesiredKind = { desired: [], outOfScope: new Set(), failed: [] };
  const members = new Map<string, readonly string[]>();
  if (mappings.groups.mappings.length > 0) {
    // A soft-deleted user leaves its groups (and the license they carry) in the cycle that
    // deactivates it, and gets them back when restored. Graph's group delta need not report it
    // leaving (Microsoft: a removal shows "either by removing the membership or by deleting the
    // user object itself"), so the rule stands on the user alone and delta and full reads agree.
    // A disabled user stays where it is (the planner does not add inactive members).
    const memberUsers = new Set(
      users.desired.filter((d) => d.inactiveReason !== "softDeleted").map((d) => d.resource.sourceId),
    );
    for (const group of snapshot.groups.values()) {
      const view = groupSourceView(group);
      const label = String(group.attributes["displayName"] ?? group.id);
      // Like Entra: only security-enabled groups are provisioned.
      if (group.attributes["securityEnabled"] === false || !scopes.groups.isInScope(view)) {
        groups.outOfScope.add(group.id);
        continue;
      }
      const outcome = mapResource("group", group.id, label, view, mappings.groups, runtime);
      if (!outcome.ok) {
        groups.failed.push(outcome);
        continue;
      }
      groups.desired.push({ resource: outcome.resource });
      members.set(
        group.id,
        group.memberUserIds.filter((id) => memberUsers.has(id)),
      );
    }
  }
  return { users, groups, members, repeatable };
}
