/** Parsed wire resources → the domain's TargetUser / TargetGroup. */
import type { TargetGroup, TargetUser } from "../../model/index.js";
import { flattenResource } from "../resources/flatten.js";
import { malformed } from "./read-errors.js";
import { groupSchema, userSchema } from "../resources/wire.js";

export function toTargetUser(item: unknown, paths: readonly string[], what: string): TargetUser {
  const parsed = userSchema.safeParse(item);
  if (!parsed.success) throw malformed(what, `user: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const user = parsed.data;
  return {
    id: user.id,
    userName: user.userName,
    active: user.active ?? true,
    attributes: flattenResource(user, paths),
  };
}

export function toTargetGroup(item: unknown, paths: readonly string[], what: string): TargetGroup {
  const parsed = groupSchema.safeParse(item);
  if (!parsed.success) throw malformed(what, `group: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const group = parsed.data;
  return {
    id: group.id,
    displayName: group.displayName,
    attributes: flattenResource(group, paths),
    memberIds: (group.members ?? []).map((member) => member.value),
  };
}
