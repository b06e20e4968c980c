/**
 * Attributes the emulator accepts and does not store, as some SCIM servers do: a POST, PUT or
 * PATCH that sets one answers success, and the resource keeps what it held before (nothing, on
 * a create). Responses and later reads show what is stored, like a real server's.
 */
import { isObject, type JsonObject } from "./store.js";

export type DroppingResource = "Users" | "Groups";

/** `name.familyName`, `externalId`, or an extension attribute `urn:…:Group:license`. */
const URN_ATTRIBUTE = /^(urn:[^\s]+):([^:.[\]]+)$/i;
const DOTTED = /^[a-z][\w$-]*(\.[a-z][\w$-]*)?$/i;

/** A path as the keys it walks down in the stored JSON. */
export function pathKeys(path: string): string[] {
  const urn = URN_ATTRIBUTE.exec(path);
  if (urn) return [urn[1] ?? "", urn[2] ?? ""];
  if (!DOTTED.test(path)) throw new Error(`the emulator drops plain or extension paths only, not ${path}`);
  return path.split(".");
}

/**
 * `incoming` with each dropped path set back to what `existing` holds (absent on a create).
 * Keys are matched case-insensitively, as SCIM attribute names are.
 */
export function withoutDropped(
  incoming: JsonObject,
  existing: JsonObject | undefined,
  paths: Iterable<string>,
): JsonObject {
  const result = structuredClone(incoming);
  for (const path of paths) {
    const keys = pathKeys(path);
    const kept = readKeys(existing, keys);
    if (kept === undefined) deleteKeys(result, keys);
    else writeKeys(result, keys, structuredClone(kept));
  }
  return result;
}

function keyIn(object: JsonObject, key: string): string {
  return Object.keys(object).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
}

function readKeys(object: JsonObject | undefined, keys: readonly string[]): unknown {
  let current: unknown = object;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[keyIn(current, key)];
  }
  return current;
}

function deleteKeys(object: JsonObject, keys: readonly string[]): void {
  const [head, ...rest] = keys;
  if (head === undefined) return;
  const key = keyIn(object, head);
  if (rest.length === 0) {
    delete object[key];
    return;
  }
  const child = object[key];
  if (!isObject(child)) return;
  deleteKeys(child, rest);
  // A complex attribute left empty is not stored either (`name: {}` would read as present).
  if (Object.keys(child).length === 0) delete object[key];
}

function writeKeys(object: JsonObject, keys: readonly string[], value: unknown): void {
  const [head, ...rest] = keys;
  if (head === undefined) return;
  const key = keyIn(object, head);
  if (rest.length === 0) {
    object[key] = value;
    return;
  }
  const present = object[key];
  const child = isObject(present) ? present : {};
  object[key] = child;
  writeKeys(child, rest, value);
}
