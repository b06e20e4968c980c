/**
 * Flat attributes → a nested SCIM resource for POST: `name.givenName` nests, a value filter
 * such as `emails[type eq "work"].value` becomes `emails: [{type: "work", primary: true, value}]`,
 * and an extension path goes under its URN object, listed in `schemas` when the setting says so.
 * Null values are left out (nothing to create).
 */
import type { FlatAttributes, ResourceKind } from "../../model/index.js";
import { isRecord, parsePath, type ParsedPath } from "./scim-path.js";

export const CORE_SCHEMAS: Readonly<Record<ResourceKind, string>> = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
};

export class UnsupportedPathError extends Error {}

export function buildCreateBody(
  kind: ResourceKind,
  attributes: FlatAttributes,
  extensionInSchemas: boolean,
): Record<string, unknown> {
  const schemas = [CORE_SCHEMAS[kind]];
  const body: Record<string, unknown> = { schemas };
  for (const [path, value] of Object.entries(attributes)) {
    if (value === null) continue;
    const parsed = parsePath(path);
    if (!parsed) throw new UnsupportedPathError(`unsupported attribute path: ${path}`);
    if (parsed.extension !== null && extensionInSchemas && !schemas.includes(parsed.extension))
      schemas.push(parsed.extension);
    setPath(body, parsed, value);
  }
  return body;
}

function setPath(body: Record<string, unknown>, parsed: ParsedPath, value: unknown): void {
  let container = parsed.extension === null ? body : child(body, parsed.extension);
  const last = parsed.segments.length - 1;
  parsed.segments.forEach((segment, index) => {
    if (index === last) {
      container[segment.name] = value;
      return;
    }
    const filter = segment.filter;
    if (!filter) {
      container = child(container, segment.name);
      return;
    }
    const existing = container[segment.name];
    const list: unknown[] = Array.isArray(existing) ? existing : [];
    container[segment.name] = list;
    let item = list.find(
      (entry): entry is Record<string, unknown> => isRecord(entry) && entry[filter.attribute] === filter.value,
    );
    if (!item) {
      item = { [filter.attribute]: filter.value, ...(list.length === 0 ? { primary: true } : {}) };
      list.push(item);
    }
    container = item;
  });
}

function child(parent: Record<string, unknown>, name: string): Record<string, unknown> {
  const existing = parent[name];
  if (isRecord(existing)) return existing;
  const created: Record<string, unknown> = {};
  parent[name] = created;
  return created;
}
