/**
 * The SCIM attribute paths a mapping may target: `attr`, `attr.sub`,
 * `attr[type eq "value"].sub` and extension paths `urn:…:Name:attr`. Checked at load time so a
 * typo in a target is a config error, not a silent no-op against the server.
 */
const SIMPLE = /^[A-Za-z][\w-]*(\.[A-Za-z][\w-]*)?$/;
const FILTERED = /^[A-Za-z][\w-]*\[type eq "[^"\\]+"\]\.[A-Za-z][\w-]*$/;
const EXTENSION = /^urn:[A-Za-z0-9:._-]+:[A-Za-z][\w-]*$/;

export function isValidTargetPath(path: string): boolean {
  return SIMPLE.test(path) || FILTERED.test(path) || EXTENSION.test(path);
}

/** Target attributes whose SCIM type is Boolean; everything else we map is a String. */
const BOOLEAN_TARGETS = new Set(["active"]);

export function isBooleanTarget(path: string): boolean {
  return BOOLEAN_TARGETS.has(path);
}
