/**
 * Every resource of one kind (`GET /Users`, `GET /Groups`), pages fetched several at a time,
 * converted to the domain's objects. A resource listed twice means the server ignored paging:
 * the read fails rather than return a list that may also miss resources.
 */
import type { ResourceKind } from "../../model/index.js";
import type { ScimContext } from "../client-context.js";
import { listResources } from "./list-resources.js";
import { READ_KINDS, type TargetOf } from "./read-kinds.js";
import { malformed } from "./read-errors.js";

export async function* listKind<K extends ResourceKind>(
  context: ScimContext,
  kind: K,
  paths: readonly string[],
): AsyncIterable<TargetOf[K]> {
  const { path, noun, convert } = READ_KINDS[kind];
  const what = `GET ${path}`;
  const seen = new Set<string>();
  const query = { path, pageSize: await context.pageSize(), parallelPages: context.settings.concurrency };
  for await (const item of listResources(context.executor, query)) {
    const resource = convert(item, paths, what);
    if (seen.has(resource.id)) throw malformed(what, `${noun} ${resource.id} listed twice (paging ignored?)`);
    seen.add(resource.id);
    yield resource;
  }
}
