/** `$select` and default property sets, per object type, as Graph applies them. */
import type { TenantDevice, TenantServicePrincipal } from "../../fixtures/tenant-types.js";
import type { StoredGroup, StoredUser } from "./tenant-store.js";

export const USER_DEFAULT = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];

export const USER_PROPERTIES = new Set([
  ...USER_DEFAULT,
  "accountEnabled",
  "mailNickname",
  "department",
  "employeeId",
  "userType",
  "companyName",
  "city",
  "country",
  "onPremisesExtensionAttributes",
  "onPremisesImmutableId",
  "onPremisesSamAccountName",
  "createdDateTime",
  "employeeType",
  "usageLocation",
  "streetAddress",
  "postalCode",
  "state",
  "proxyAddresses",
  "otherMails",
  "identities",
  "manager",
  "externalUserState",
  "deletedDateTime",
  "preferredName",
  "faxNumber",
  "employeeHireDate",
]);

export const GROUP_PROPERTIES = new Set([
  "id",
  "displayName",
  "description",
  "mailNickname",
  "mail",
  "securityEnabled",
  "mailEnabled",
  "groupTypes",
  "createdDateTime",
  "deletedDateTime",
  "visibility",
  "onPremisesSyncEnabled",
  "proxyAddresses",
  "classification",
]);

export type Selection = readonly string[] | null;

/** Parses `$select` (or `select`); null when absent. */
export function parseSelect(query: URLSearchParams): Selection {
  const raw = query.get("$select") ?? query.get("select");
  if (raw === null) return null;
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** The first selected property unknown on every one of the given types, if any. */
export function unknownProperty(select: Selection, ...known: ReadonlySet<string>[]): string | null {
  if (!select) return null;
  for (const name of select) if (!known.some((set) => set.has(name))) return name;
  return null;
}

export function projectUser(user: StoredUser, select: Selection): Record<string, unknown> {
  const names = select ?? USER_DEFAULT;
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = Object.hasOwn(user, name) ? user[name] : name === "businessPhones" ? [] : null;
  out.id = user.id;
  return out;
}

export function projectGroup(group: StoredGroup, select: Selection): Record<string, unknown> {
  const { members: _members, ...props } = group;
  const record: Record<string, unknown> = {
    ...props,
    createdDateTime: "2024-01-01T00:00:00Z",
    deletedDateTime: null,
    visibility: null,
  };
  if (!select) return record;
  const out: Record<string, unknown> = { id: group.id };
  for (const name of select) if (GROUP_PROPERTIES.has(name)) out[name] = record[name] ?? null;
  return out;
}

export function projectDevice(device: TenantDevice, select: Selection): Record<string, unknown> {
  const record: Record<string, unknown> = { ...device, accountEnabled: true, operatingSystem: "Windows" };
  return pick(record, select, device.id);
}

export function projectServicePrincipal(sp: TenantServicePrincipal, select: Selection): Record<string, unknown> {
  const record: Record<string, unknown> = {
    ...sp,
    deletedDateTime: null,
    accountEnabled: true,
    appRoleAssignmentRequired: true,
  };
  return pick(record, select, sp.id);
}

function pick(record: Record<string, unknown>, select: Selection, id: string): Record<string, unknown> {
  if (!select) return record;
  const out: Record<string, unknown> = { id };
  for (const name of select) if (Object.hasOwn(record, name)) out[name] = record[name];
  return out;
}
