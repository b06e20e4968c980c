/**
 * The cycle's targeted read: resources of one kind by id (a 404 means the object is gone), then
 * by each matching value (`filter=<path> eq "<value>"`); every resource answered once.
 */
import type { LookedUp, TargetLookup } from "../../cycle/index.js";
import type { ResourceKind } from "../../model/index.js";
import type { ScimContext } from "../client-context.js";
import { eqFilter } from "../resources/filter.js";
import { listResources } from "./list-resources.js";
import { READ_KINDS, type TargetOf } from "./read-kinds.js";
import { readError } from "./read-errors.js";

export async function lookUpKind<K extends ResourceKind>(
  context: ScimContext,
  kind: K,
  lookup: TargetLookup,
  paths: readonly string[],
): Promise<LookedUp<TargetOf[K]>> {
  const { path, convert } = READ_KINDS[kind];
  const { executor } = context;
  // Klaxoon answers 409 "User confirmation pending" for a user it holds but will not show yet.
  const unreadable: string[] = [];
  const byId = lookup.ids.map(async (id): Promise<TargetOf[K][]> => {
    const what = `GET ${path}/${id}`;
    const request = { method: "GET", path: `${path}/${encodeURIComponent(id)}` } as const;
    const executed = await executor.run(request, { onCollection: false, expectJson: true });
    if (!executed.ok && executed.failure.status === 404) return [];
    if (!executed.ok && executed.failure.kind === "pending") {
      unreadable.push(id);
      return [];
    }
    if (!executed.ok) throw readError(executed.failure, what);
    return [convert(executed.json, paths, what)];
  });
  const byKey = lookup.keys.map(async (key): Promise<TargetOf[K][]> => {
    const what = `GET ${path}?filter=${key.path} eq …`;
    const found: TargetOf[K][] = [];
    const query = { path, pageSize: await context.pageSize(), filter: eqFilter(key.path, key.value) };
    for await (const item of listResources(executor, query)) found.push(convert(item, paths, what));
    return found;
  });
  const unique = new Map<string, TargetOf[K]>();
  for (const list of await Promise.all([...byId, ...byKey])) for (const item of list) unique.set(item.id, item);
  return { found: [...unique.values()], unreadable };
}
