/** What a write's answer says the server now holds, for telling a value it dropped. */
import type { FlatAttributes, ResourceKind, ScimValue } from "../../model/index.js";
import { flattenResource } from "./flatten.js";
import { IDENTITY_ATTRIBUTE } from "./kinds.js";
import { groupSchema, userSchema } from "./wire.js";

/**
 * The values the answer holds for the paths written (`sent`: path → value, null for a
 * removal), or undefined when the answer is not the resource: no body (a 204), a body without
 * the resource's id and identity (some servers answer `{}` or echo the request), or one in which
 * none of the values set appears. That last is a server answering with a stub rather than a
 * server dropping everything; the caller reads the resource to tell, so nothing is called
 * dropped on the word of a stub.
 */
export function storedEcho(kind: ResourceKind, json: unknown, sent: FlatAttributes): FlatAttributes | undefined {
  const paths = Object.keys(sent);
  if (json === undefined || paths.length === 0) return undefined;
  const parsed = (kind === "user" ? userSchema : groupSchema).safeParse(json);
  if (!parsed.success) return undefined;
  const stored = flattenResource(parsed.data, paths);
  const set = paths.filter((path) => path !== IDENTITY_ATTRIBUTE[kind] && !isEmpty(sent[path]));
  if (set.length > 0 && set.every((path) => isEmpty(stored[path]))) return undefined;
  return stored;
}

function isEmpty(value: ScimValue | undefined): boolean {
  return value === undefined || value === null || value === "";
}
