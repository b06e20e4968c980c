/** Codes of the plan's warnings; here, not in plan/, because the state file stores warnings too. */
export const WARNING_CODES = [
  "DUPLICATE_SOURCE_KEY", // two Entra objects map to one matching value
  "DUPLICATE_TARGET_ENTRIES", // one matching value finds several Klaxoon accounts
  "TARGET_ALREADY_CLAIMED", // the Klaxoon account is already linked to another Entra object
  "MAPPING_FAILED", // an expression failed for this object; it is left as it is
  "REQUIRED_ATTRIBUTE_NULL", // a required Klaxoon attribute maps to null; not created
  "UNMANAGED_ACCOUNT", // a Klaxoon account that no Entra object maps to: left alone
  "PROTECTED_ACCOUNT", // a protect: rule kept an account the plan would deactivate
  "TARGET_DROPS_ATTRIBUTE", // found on applying: Klaxoon accepted a value and did not store it; not re-sent until it changes
] as const;

export type WarningCode = (typeof WARNING_CODES)[number];
