/**
 * Filters, Klaxoon-style, on SCIMMY's parser. Two SCIMMY 1.3.5 quirks are handled here:
 * - its lexer does not decode RFC 7644 / JSON string escapes (`\"` breaks parsing, `\\` stays
 *   doubled), so every string literal is decoded first and replaced by a placeholder, and the
 *   decoded values are put back into the parsed expression;
 * - `Filter.match` compares case-sensitively and throws on a resource without `emails`, so it
 *   runs over a lower-cased projection holding just the filterable attributes.
 * Klaxoon filters only on userName, emails[type eq "work"].value and displayName, with `eq`.
 */
import SCIMMY from "scimmy";
import { isObject, type JsonObject } from "./store.js";

const LITERAL = /"(?:[^"\\]|\\.)*"/g;
const PLACEHOLDER = /^klx-literal-(\d+)$/;

export type FilterExpression = JsonObject[];

export class InvalidFilterError extends Error {}

/** Parses a filter query value into SCIMMY expression objects with real, lower-cased values. */
export function parseKlaxoonFilter(filter: string, resource: "Users" | "Groups"): FilterExpression {
  const literals: string[] = [];
  const protectedFilter = filter.replace(LITERAL, (literal) => {
    let decoded: unknown;
    try {
      decoded = JSON.parse(literal);
    } catch {
      throw new InvalidFilterError(`Invalid string literal in filter: ${literal}`);
    }
    literals.push(String(decoded));
    return `"klx-literal-${literals.length - 1}"`;
  });
  let parsed: JsonObject[];
  try {
    parsed = [...new SCIMMY.Types.Filter(protectedFilter)] as JsonObject[];
  } catch (error) {
    throw new InvalidFilterError(error instanceof Error ? error.message : "Invalid filter");
  }
  return parsed.map((branch) => restoreBranch(branch, literals, resource));
}

function restoreBranch(branch: JsonObject, literals: readonly string[], resource: "Users" | "Groups"): JsonObject {
  const out: JsonObject = {};
  for (const [key, condition] of Object.entries(branch)) {
    if (resource === "Users" && key === "userName") out[key] = restoreEq(condition, literals, key);
    else if (resource === "Users" && key === "emails" && isObject(condition))
      out[key] = restoreEmails(condition, literals);
    else if (resource === "Groups" && key === "displayName") out[key] = restoreEq(condition, literals, key);
    else throw new InvalidFilterError(`Filtering on '${key}' is not supported; filterable: ${filterable(resource)}`);
  }
  return out;
}

function restoreEmails(condition: JsonObject, literals: readonly string[]): JsonObject {
  const keys = Object.keys(condition).sort().join(",");
  const type = restoreEq(condition["type"], literals, "emails.type");
  if (keys !== "type,value" || type[1] !== "work") {
    throw new InvalidFilterError(`Filtering on emails is supported only as emails[type eq "work"].value`);
  }
  return { type, value: restoreEq(condition["value"], literals, "emails.value") };
}

function restoreEq(condition: unknown, literals: readonly string[], name: string): [string, string] {
  if (
    !Array.isArray(condition) ||
    condition.length !== 2 ||
    condition[0] !== "eq" ||
    typeof condition[1] !== "string"
  ) {
    throw new InvalidFilterError(`Only 'eq' with a string value is supported on '${name}'`);
  }
  const index = PLACEHOLDER.exec(condition[1]);
  const value = index ? literals[Number(index[1])] : undefined;
  if (value === undefined) throw new InvalidFilterError(`Only string values are supported on '${name}'`);
  return ["eq", value.toLowerCase()];
}

function filterable(resource: "Users" | "Groups"): string {
  return resource === "Users" ? `userName, emails[type eq "work"].value` : "displayName";
}

/** Resources matching any branch of the expression (case-insensitive, as the attributes are). */
export function applyKlaxoonFilter(expression: FilterExpression, resources: readonly JsonObject[]): JsonObject[] {
  const filter = new SCIMMY.Types.Filter(expression);
  const projections = resources.map((resource) => ({ resource, ...project(resource) }));
  const matched = new Set(filter.match(projections) as unknown[]);
  return projections.filter((p) => matched.has(p)).map((p) => p.resource);
}

function project(resource: JsonObject): JsonObject {
  const emails = Array.isArray(resource["emails"]) ? resource["emails"] : [];
  return {
    userName: lower(resource["userName"]),
    displayName: lower(resource["displayName"]),
    emails: emails.filter(isObject).map((e) => ({ type: lower(e["type"]), value: lower(e["value"]) })),
  };
}

function lower(value: unknown): string {
  return typeof value === "string" ? value.toLowerCase() : "";
}
