import type { AppRole, AppRoleAssignment, DirectoryGroup, DirectoryUser } from "../model/index.js";

/** Entra's virtual attributes: computed here, never requested from Graph. */
const VIRTUAL_ATTRIBUTES = new Set(["objectid", "issoftdeleted", "approleassignments", "originaluserprincipalname"]);

export function isVirtualAttribute(name: string): boolean {
  return VIRTUAL_ATTRIBUTES.has(name.toLowerCase());
}

/**
 * The attributes an expression sees for one object: what Graph returned plus Entra's virtual
 * attributes. Built once per object so every mapping sees the whole current object.
 */
export function userSourceView(
  user: DirectoryUser,
  assignments: readonly AppRoleAssignment[],
  appRoles: readonly AppRole[],
): Readonly<Record<string, unknown>> {
  const upn = user.attributes["userPrincipalName"];
  return {
    ...user.attributes,
    userPrincipalName: typeof upn === "string" ? stripGuestUpn(upn) : upn,
    originalUserPrincipalName: upn ?? null,
    objectId: user.id,
    IsSoftDeleted: user.softDeleted,
    AppRoleAssignments: roleValues(assignments, appRoles),
  };
}

export function groupSourceView(group: DirectoryGroup): Readonly<Record<string, unknown>> {
  return { ...group.attributes, objectId: group.id };
}

/** Like Entra: `alias_theirdomain#EXT#@yourdomain` becomes `alias@theirdomain`. */
export function stripGuestUpn(upn: string): string {
  const marker = upn.indexOf("#EXT#");
  if (marker < 0) return upn;
  const local = upn.slice(0, marker);
  const underscore = local.lastIndexOf("_");
  return underscore < 0 ? local : `${local.slice(0, underscore)}@${local.slice(underscore + 1)}`;
}

/** Per app (one list of roles per cycle), not per user: the views of 100,000 users share it. */
const rolesByIdOf = new WeakMap<readonly AppRole[], ReadonlyMap<string, AppRole>>();

/**
 * Per list of assignments: the snapshot shares one list between users with the same assignments
 * (graph/read/scope-snapshot.ts), so most users' values are computed once. Frozen, as they are shared.
 */
const valuesOf = new WeakMap<
  readonly AppRoleAssignment[],
  { readonly roles: readonly AppRole[]; readonly values: readonly string[] }
>();

function roleValues(assignments: readonly AppRoleAssignment[], appRoles: readonly AppRole[]): readonly string[] {
  const known = valuesOf.get(assignments);
  if (known?.roles === appRoles) return known.values;
  let byId = rolesByIdOf.get(appRoles);
  if (!byId) {
    byId = new Map(appRoles.map((role) => [role.id, role]));
    rolesByIdOf.set(appRoles, byId);
  }
  const values = Object.freeze([
    ...new Set(
      assignments.map((a) => byId.get(a.appRoleId)?.value ?? byId.get(a.appRoleId)?.displayName ?? "msiam_access"),
    ),
  ]);
  valuesOf.set(assignments, { roles: appRoles, values });
  return values;
}
