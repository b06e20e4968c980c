/**
 * Group membership writes, in chunks of `memberChunkSize` member values: a group's first chunk
 * rides in its POST, the rest follow as member PATCHes. A failure after some chunks says how
 * many changes were applied, as the group now holds those.
 */
import type { CreatedGroup, MemberChange, WriteOutcome } from "../../apply/index.js";
import type { FlatAttributes } from "../../model/index.js";
import type { ScimContext } from "../client-context.js";
import { buildMemberChangeBody, chunkMemberChange } from "../resources/patch-body.js";
import { createResource } from "./create-resource.js";
import { patchResource } from "./patch-resource.js";

export async function changeMembers(
  context: ScimContext,
  groupId: string,
  change: MemberChange,
): Promise<WriteOutcome> {
  const unique = { add: [...new Set(change.add)], remove: [...new Set(change.remove)] };
  const chunks = chunkMemberChange(unique, context.settings.memberChunkSize);
  let applied = 0;
  for (const chunk of chunks) {
    const build = () => buildMemberChangeBody(chunk, context.settings.patchDialect);
    const outcome = await patchResource(context, "group", groupId, build);
    if (!outcome.ok) {
      const total = unique.add.length + unique.remove.length;
      if (applied === 0) return outcome;
      return { ...outcome, message: `${outcome.message} (after ${applied} of ${total} member changes were applied)` };
    }
    applied += chunk.add.length + chunk.remove.length;
  }
  return { ok: true, value: undefined };
}

export async function createGroup(
  context: ScimContext,
  attributes: FlatAttributes,
  memberIds: readonly string[],
): Promise<WriteOutcome<CreatedGroup>> {
  const unique = [...new Set(memberIds)];
  const inPost = unique.slice(0, context.settings.memberChunkSize);
  const created = await createResource(context, "group", attributes, inPost);
  if (!created.ok) return created;
  const rest = unique.slice(inPost.length);
  const members =
    rest.length === 0
      ? ({ ok: true, value: undefined } as const)
      : await changeMembers(context, created.value.id, { add: rest, remove: [] });
  return { ok: true, value: { id: created.value.id, members }, stored: created.stored };
}
