/**
 * SCIM resources in the form the pure core compares: flat maps from a SCIM attribute path to a
 * leaf value. Paths are the ones mappings target: `userName`, `name.givenName`,
 * `emails[type eq "work"].value`, `active`, and extension paths such as
 * `urn:ietf:params:scim:schemas:extension:klaxoon:2.0:Group:license`.
 * The scim/ adapter converts between this form and the wire (nested JSON, PATCH ops).
 */
export type ScimValue = string | number | boolean | null;
export type FlatAttributes = Readonly<Record<string, ScimValue>>;

export type ResourceKind = "user" | "group";

export interface TargetUser {
  readonly id: string;
  readonly userName: string;
  readonly active: boolean;
  /** The mapped paths as the server holds them (flattened; missing paths absent). */
  readonly attributes: FlatAttributes;
}

export interface TargetGroup {
  readonly id: string;
  readonly displayName: string;
  readonly attributes: FlatAttributes;
  /** SCIM ids of member users. */
  readonly memberIds: readonly string[];
}

export const KLAXOON_GROUP_EXTENSION = "urn:ietf:params:scim:schemas:extension:klaxoon:2.0:Group";
export const KLAXOON_LICENSE_PATH = `${KLAXOON_GROUP_EXTENSION}:license`;

/** One Entra object mapped to the SCIM attributes Klaxoon should hold for it. */
export interface MappedResource {
  readonly kind: ResourceKind;
  readonly sourceId: string;
  /** For people reading plans and logs: the UPN or display name. */
  readonly label: string;
  /** Desired on every cycle ("apply: always"); a null value means "should be empty". */
  readonly attributes: FlatAttributes;
  /** Sent only when the account is created ("apply: onCreate"). */
  readonly createOnly: FlatAttributes;
  /** Matching attribute values, in precedence order (empty values left out). */
  readonly matchKeys: readonly { readonly path: string; readonly value: string }[];
}
