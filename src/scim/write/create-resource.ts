/**
 * POST of a user or group. A lost answer (reset, timeout, 5xx) may hide a create that landed:
 * the client looks for it before sending it again, or a group (whose name Klaxoon need not
 * keep unique) would be made twice.
 */
import type { WriteOutcome } from "../../apply/index.js";
import type { FlatAttributes, ResourceKind } from "../../model/index.js";
import type { ScimContext } from "../client-context.js";
import { buildCreateBody } from "../resources/build-resource.js";
import { eqFilter } from "../resources/filter.js";
import { COLLECTION_PATH, IDENTITY_ATTRIBUTE } from "../resources/kinds.js";
import { storedEcho } from "../resources/stored-echo.js";
import { listResponseSchema, resourceSchema } from "../resources/wire.js";
import { failed, unsupported } from "./write-failures.js";

export async function createResource(
  context: ScimContext,
  kind: ResourceKind,
  attributes: FlatAttributes,
  memberIds: readonly string[] = [],
): Promise<WriteOutcome<{ readonly id: string }>> {
  let body: Record<string, unknown>;
  try {
    body = buildCreateBody(kind, attributes, context.settings.extensionInSchemas);
  } catch (error) {
    return unsupported(error);
  }
  if (memberIds.length > 0) body["members"] = memberIds.map((value) => ({ value }));
  const path = COLLECTION_PATH[kind];
  const request = { method: "POST", path, body } as const;
  const options = { onCollection: true, expectJson: true } as const;
  let executed = await context.executor.run(request, { ...options, retryTransient: false });
  if (!executed.ok && executed.failure.kind === "transient") {
    const landed = await findLanded(context, kind, attributes);
    if (landed) return { ok: true, value: { id: landed } };
    executed = await context.executor.run(request, options);
    executed = executed.ok ? executed : { ...executed, retriedTransient: true };
  }
  if (executed.ok) {
    const parsed = resourceSchema.safeParse(executed.json);
    if (parsed.success) {
      return { ok: true, value: { id: parsed.data.id }, stored: storedEcho(kind, executed.json, attributes) };
    }
    return { ok: false, kind: "fatal", status: executed.status, message: `POST ${path}: the response has no id` };
  }
  // Sent again after a transient failure and now a uniqueness conflict: the first one landed.
  if (executed.failure.kind === "conflict" && executed.retriedTransient) {
    const landed = await findLanded(context, kind, attributes);
    if (landed) return { ok: true, value: { id: landed } };
  }
  return failed(executed.failure);
}

/** The id of the one resource holding this create's userName (users) or displayName (groups). */
async function findLanded(
  context: ScimContext,
  kind: ResourceKind,
  attributes: FlatAttributes,
): Promise<string | null> {
  const key = IDENTITY_ATTRIBUTE[kind];
  const value = attributes[key];
  if (typeof value !== "string") return null;
  const query = {
    filter: eqFilter(key, value),
    startIndex: 1,
    count: 2,
    ...(kind === "group" ? { excludedAttributes: "members" } : {}),
  };
  const executed = await context.executor.run(
    { method: "GET", path: COLLECTION_PATH[kind], query },
    { onCollection: true, expectJson: true },
  );
  if (!executed.ok) return null;
  const page = listResponseSchema.safeParse(executed.json);
  const found = (page.success ? (page.data.Resources ?? []) : []).map((item) => resourceSchema.safeParse(item));
  if (found.length !== 1 || !found[0]?.success) return null;
  const note = "a create whose answer was lost had landed: adopted it instead of sending it again";
  context.logger?.warn({ kind, [key]: value }, note);
  return found[0].data.id;
}
