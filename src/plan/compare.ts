import type { FlatAttributes, ScimValue } from "../model/index.js";
import type { AttributeChange } from "./types.js";

/**
 * SCIM comparison rules for the attributes we map: `userName`, e-mail values and
 * `displayName` are case-insensitive (caseExact false in RFC 7643); an absent value, null and
 * "" are all "empty". Anything else compares exactly. An unchanged object yields no change.
 */
const CASE_INSENSITIVE = [/^userName$/, /^emails(\[.*\])?\.value$/, /^displayName$/];

export function isCaseInsensitive(path: string): boolean {
  return CASE_INSENSITIVE.some((pattern) => pattern.test(path));
}

export function normaliseForCompare(path: string, value: ScimValue | undefined): ScimValue {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "string" && isCaseInsensitive(path)) return value.toLowerCase();
  return value;
}

export function sameValue(path: string, a: ScimValue | undefined, b: ScimValue | undefined): boolean {
  return normaliseForCompare(path, a) === normaliseForCompare(path, b);
}

/** The changes that turn `actual` into `desired`, over the paths `desired` states. */
export function diffAttributes(desired: FlatAttributes, actual: FlatAttributes): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const [path, to] of Object.entries(desired)) {
    const from = actual[path] ?? null;
    if (!sameValue(path, to, from)) changes.push({ path, from, to: to === "" ? null : to });
  }
  return changes;
}
