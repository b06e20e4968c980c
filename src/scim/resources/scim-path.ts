/**
 * The attribute paths the core uses, parsed once: `userName`, `name.givenName`,
 * `emails[type eq "work"].value`, `urn:…:Group:license`. Only `eq` value filters on a string
 * are understood, which is all the mappings produce; anything else is refused, not guessed.
 */
export interface PathSegment {
  readonly name: string;
  readonly filter?: { readonly attribute: string; readonly value: string };
}

export interface ParsedPath {
  /** The schema URN for an extension attribute, else null (core schema). */
  readonly extension: string | null;
  readonly segments: readonly PathSegment[];
}

const SEGMENT = /^([A-Za-z$][\w$-]*)(?:\[([A-Za-z][\w$-]*) eq ("(?:[^"\\]|\\.)*")\])?$/;

export function parsePath(path: string): ParsedPath | null {
  let extension: string | null = null;
  let rest = path;
  if (path.toLowerCase().startsWith("urn:")) {
    const bracket = path.indexOf("[");
    const colon = path.lastIndexOf(":", bracket === -1 ? path.length : bracket);
    extension = path.slice(0, colon);
    rest = path.slice(colon + 1);
  }
  const parts = rest.split(/\.(?![^[]*\])/);
  const segments: PathSegment[] = [];
  for (const part of parts) {
    const match = SEGMENT.exec(part);
    if (!match || match[1] === undefined) return null;
    if (match[2] === undefined || match[3] === undefined) {
      segments.push({ name: match[1] });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(match[3]);
    } catch {
      return null;
    }
    segments.push({ name: match[1], filter: { attribute: match[2], value: String(value) } });
  }
  const last = segments.at(-1);
  return last === undefined || last.filter ? null : { extension, segments };
}

/** Own property lookup ignoring case, as SCIM attribute names are case-insensitive. */
export function getAttribute(object: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
