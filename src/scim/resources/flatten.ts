/** A resource from the wire, flattened to the paths the core asked for (missing paths absent). */
import type { FlatAttributes, ScimValue } from "../../model/index.js";
import { getAttribute, isRecord, parsePath } from "./scim-path.js";

export function flattenResource(resource: Readonly<Record<string, unknown>>, paths: readonly string[]): FlatAttributes {
  const flat: Record<string, ScimValue> = {};
  for (const path of paths) {
    const value = readPath(resource, path);
    if (value !== undefined) flat[path] = path === "active" ? normaliseBoolean(value) : value;
  }
  return flat;
}

function readPath(resource: Readonly<Record<string, unknown>>, path: string): ScimValue | undefined {
  // Some servers echo extension attributes under their full path at the top level.
  if (Object.hasOwn(resource, path)) return asScimValue(resource[path]);
  const parsed = parsePath(path);
  if (!parsed) return undefined;
  let current: unknown = parsed.extension === null ? resource : getAttribute(resource, parsed.extension);
  for (const segment of parsed.segments) {
    if (!isRecord(current)) return undefined;
    current = getAttribute(current, segment.name);
    const filter = segment.filter;
    if (filter) {
      if (!Array.isArray(current)) return undefined;
      const wanted = filter.value.toLowerCase();
      current = current.find(
        (item: unknown) => isRecord(item) && String(getAttribute(item, filter.attribute)).toLowerCase() === wanted,
      );
    }
  }
  return asScimValue(current);
}

function asScimValue(value: unknown): ScimValue | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return undefined;
}

function normaliseBoolean(value: ScimValue): ScimValue {
  if (typeof value !== "string") return value;
  const lower = value.toLowerCase();
  return lower === "true" ? true : lower === "false" ? false : value;
}
