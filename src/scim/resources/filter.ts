/**
 * Filter expressions for lookups. RFC 7644 §3.4.2.2: a comparison value is a JSON value, so a
 * string is written with JSON's escapes (`"` → `\"`, `\` → `\\`, control characters); a hostile
 * value such as `" or userName pr "` stays one string and cannot change the filter's meaning.
 * Attribute paths are checked against a strict shape (they come from config, still never trusted).
 */
const ATTRIBUTE_PATH =
  /^(?:urn:[\w.:-]+:)?[A-Za-z][\w$-]*(?:\[[A-Za-z][\w$-]* eq "(?:[^"\\]|\\.)*"\])?(?:\.[A-Za-z][\w$-]*)?$/;

export function escapeFilterValue(value: string): string {
  return JSON.stringify(value);
}

export function eqFilter(path: string, value: string): string {
  if (!ATTRIBUTE_PATH.test(path)) throw new Error(`not a filterable attribute path: ${path}`);
  return `${path} eq ${escapeFilterValue(value)}`;
}
