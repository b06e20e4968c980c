/**
 * A zod issue, said the way an administrator can act on: which key (an unknown key at its own
 * line, with "did you mean"), what was expected, and the fix (an inline secret gets the
 * `{ env: NAME }` / `{ file: PATH }` forms). Walks the schema itself to know the keys a map takes.
 */
import type { z } from "zod";
import { closestWord } from "./edit-distance.js";

export interface ExplainedIssue {
  /** The key the message is about (an unknown key's parent: the message names the key itself). */
  readonly path: readonly PropertyKey[];
  /** Where it stands in the file, when not at `path` (an unknown key: its own line). */
  readonly at?: readonly PropertyKey[];
  readonly message: string;
}

type Issue = z.core.$ZodIssue;

export function explainIssue(issue: Issue, schema: z.ZodType, data: unknown): ExplainedIssue[] {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    const known = keysAt(schema, path);
    return issue.keys.map((key) => ({ path, at: [...path, key], message: unknownKey(key, known) }));
  }
  const value = valueAt(data, path);
  const target = schemaAt(schema, path);
  if (target !== undefined && isSecretRef(target)) return [{ path, message: secretMessage(value) }];
  if (value === undefined && (issue.code === "invalid_type" || issue.code === "invalid_union")) {
    const expected = issue.code === "invalid_type" ? ` (expected ${issue.expected})` : "";
    const parent = path.length > 1 ? ` under ${path.slice(0, -1).map(String).join(".")}` : " at the top level";
    return [{ path, message: `missing: add ${String(path.at(-1) ?? "it")}${parent}${expected}` }];
  }
  if (issue.code === "invalid_union" && target !== undefined) {
    const discriminator = discriminatorOf(target);
    if (discriminator !== undefined) return [{ path: [...path, discriminator.key], message: discriminator.message }];
  }
  return [{ path, message: issue.message.replace(/^Invalid input: /, "") }];
}

function unknownKey(key: string, known: readonly string[]): string {
  const guess = closestWord(key, known);
  if (guess !== undefined) return `unknown key "${key}": did you mean "${guess}"?`;
  return known.length > 0 ? `unknown key "${key}" (the keys here: ${known.join(", ")})` : `unknown key "${key}"`;
}

function secretMessage(value: unknown): string {
  const forms =
    "{ env: NAME } (the environment variable that holds it) or { file: PATH } (a file that holds it, relative to this file)";
  if (typeof value === "string" || typeof value === "number")
    return `a secret is never written in the file: replace the value with ${forms}`;
  if (value === undefined) return `missing: add it as ${forms}`;
  return `expected exactly one of ${forms}`;
}

/** A secret reference in the schema: a union of `{ env }` and `{ file }`. */
function isSecretRef(schema: z.ZodType): boolean {
  const def = unwrap(schema)._zod.def as { type: string; options?: z.ZodType[] };
  if (def.type !== "union" || def.options === undefined) return false;
  const shapes = def.options.map((option) => Object.keys(shapeOf(option) ?? {}).join(","));
  return shapes.length === 2 && shapes.includes("env") && shapes.includes("file");
}

/** A discriminated union (`credential.type`): the values its discriminator may take. */
function discriminatorOf(schema: z.ZodType): { key: string; message: string } | undefined {
  const def = unwrap(schema)._zod.def as { type: string; discriminator?: string; options?: z.ZodType[] };
  if (def.type !== "union" || def.discriminator === undefined || def.options === undefined) return undefined;
  const key = def.discriminator;
  const values = def.options.flatMap((option) => {
    const literal = shapeOf(option)?.[key]?._zod.def as { values?: unknown[] } | undefined;
    return (literal?.values ?? []).map(String);
  });
  return { key, message: `expected one of: ${values.join(", ")}` };
}

/** The keys an object schema at `path` takes (all variants' keys for a union). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const target = schemaAt(schema, path);
  if (target === undefined) return [];
  return [...new Set(objectsOf(target).flatMap((object) => Object.keys(shapeOf(object) ?? {})))];
}

function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let candidates: z.ZodType[] = [schema];
  for (const segment of path) {
    candidates = candidates.flatMap((candidate) => childOf(candidate, segment));
    if (candidates.length === 0) return undefined;
  }
  return candidates[0];
}

function childOf(schema: z.ZodType, segment: PropertyKey): z.ZodType[] {
  const inner = unwrap(schema);
  const def = inner._zod.def as {
    type: string;
    element?: z.ZodType;
    valueType?: z.ZodType;
    options?: z.ZodType[];
  };
  if (def.type === "array" && def.element) return [def.element];
  if (def.type === "record" && def.valueType) return [def.valueType];
  if (def.type === "union" && def.options) return def.options.flatMap((option) => childOf(option, segment));
  const child = shapeOf(inner)?.[String(segment)];
  return child === undefined ? [] : [child];
}

function objectsOf(schema: z.ZodType): z.ZodType[] {
  const inner = unwrap(schema);
  const def = inner._zod.def as { type: string; options?: z.ZodType[] };
  if (def.type === "union" && def.options) return def.options.flatMap(objectsOf);
  return def.type === "object" ? [inner] : [];
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = unwrap(schema)._zod.def as { type: string; shape?: Record<string, z.ZodType> };
  return def.type === "object" ? def.shape : undefined;
}

/** Through optional, default, prefault, nullable, readonly and pipes (the input side). */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth += 1) {
    const def = current._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    const next = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
    if (next === undefined) return current;
    current = next;
  }
  return current;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
