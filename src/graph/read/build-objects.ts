/** Graph objects (already parsed as `{ id, …attributes }`) to the domain's directory objects. */
import type { DirectoryGroup, DirectoryUser } from "../../model/index.js";
import type { GraphLogger } from "../client/logger.js";
import { directoryObject } from "../client/wire-schemas.js";

export function toAttributes(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (!key.startsWith("@odata.")) out[key] = value;
  return out;
}

/** A user, or null (logged) when it lacks what every mapping relies on. */
export function toDirectoryUser(raw: unknown, logger: GraphLogger): DirectoryUser | null {
  const parsed = directoryObject.safeParse(raw);
  if (!parsed.success) {
    logger.warn({ reason: parsed.error.issues[0]?.message }, "Skipping a user object without an id");
    return null;
  }
  const attributes = toAttributes(parsed.data);
  const upn = attributes["userPrincipalName"];
  if (typeof upn !== "string" || upn === "") {
    logger.warn({ userId: parsed.data.id }, "Skipping a user without userPrincipalName");
    return null;
  }
  if (attributes["mail"] === null) logger.debug({ userId: parsed.data.id }, "User has no mail; kept");
  return { id: parsed.data.id, attributes, softDeleted: false };
}

export function toDirectoryGroup(
  raw: unknown,
  memberUserIds: readonly string[],
  logger: GraphLogger,
): DirectoryGroup | null {
  const parsed = directoryObject.safeParse(raw);
  if (!parsed.success) {
    logger.warn({ reason: parsed.error.issues[0]?.message }, "Skipping a group object without an id");
    return null;
  }
  return { id: parsed.data.id, attributes: toAttributes(parsed.data), memberUserIds };
}
