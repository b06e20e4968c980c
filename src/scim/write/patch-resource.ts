/** PATCH of one resource; what its answer says the server stored is read back for the attributes set. */
import type { PatchChange, WriteOutcome } from "../../apply/index.js";
import type { FlatAttributes, ResourceKind } from "../../model/index.js";
import type { ScimContext } from "../client-context.js";
import { COLLECTION_PATH } from "../resources/kinds.js";
import { buildPatchBody, type PatchOpBody } from "../resources/patch-body.js";
import { storedEcho } from "../resources/stored-echo.js";
import { failed, unsupported } from "./write-failures.js";

/**
 * `sent`: the attributes the PATCH sets (null for a removal), to read back from its answer;
 * none for member changes.
 */
export async function patchResource(
  context: ScimContext,
  kind: ResourceKind,
  id: string,
  build: () => PatchOpBody,
  sent: FlatAttributes = {},
): Promise<WriteOutcome> {
  let body: PatchOpBody;
  try {
    body = build();
  } catch (error) {
    return unsupported(error);
  }
  if (body.Operations.length === 0) return { ok: true, value: undefined };
  const path = `${COLLECTION_PATH[kind]}/${encodeURIComponent(id)}`;
  const executed = await context.executor.run(
    { method: "PATCH", path, body },
    { onCollection: false, expectJson: false },
  );
  if (!executed.ok) return failed(executed.failure);
  return { ok: true, value: undefined, stored: storedEcho(kind, executed.json, sent) };
}

/** Attribute changes in the configured PATCH dialect. */
export function patchAttributes(
  context: ScimContext,
  kind: ResourceKind,
  id: string,
  changes: readonly PatchChange[],
): Promise<WriteOutcome> {
  const build = () => buildPatchBody(changes, context.settings.patchDialect);
  return patchResource(context, kind, id, build, sentBy(changes));
}

function sentBy(changes: readonly PatchChange[]): FlatAttributes {
  return Object.fromEntries(changes.map((change) => [change.path, change.op === "remove" ? null : change.value]));
}
