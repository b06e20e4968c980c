/**
 * A SCIM collection as an async iterable, page by page with startIndex/count (RFC 7644
 * §3.4.2.4), following what the server actually returns (it may send fewer than asked).
 * A read that cannot be completed throws; a short or inconsistent listing is an error too.
 */
import type { RequestExecutor } from "./execute-request.js";
import { malformed, readError } from "./read-errors.js";
import { listResponseSchema } from "./wire.js";

export interface ListQuery {
  readonly path: "/Users" | "/Groups";
  readonly pageSize: number;
  readonly filter?: string;
  readonly excludedAttributes?: string;
}

export async function* listResources(executor: RequestExecutor, query: ListQuery): AsyncIterable<unknown> {
  const what = `GET ${query.path}`;
  let startIndex = 1;
  for (;;) {
    const executed = await executor.run(
      {
        method: "GET",
        path: query.path,
        query: {
          ...(query.filter === undefined ? {} : { filter: query.filter }),
          ...(query.excludedAttributes === undefined ? {} : { excludedAttributes: query.excludedAttributes }),
          startIndex,
          count: query.pageSize,
        },
      },
      { onCollection: true, expectJson: true },
    );
    if (!executed.ok) throw readError(executed.failure, what);
    const page = listResponseSchema.safeParse(executed.json);
    if (!page.success) throw malformed(what, page.error.issues[0]?.message ?? "not a ListResponse");
    const resources = page.data.Resources ?? [];
    yield* resources;
    startIndex += resources.length;
    if (startIndex > page.data.totalResults) return;
    if (resources.length === 0) {
      throw malformed(what, `empty page at startIndex ${startIndex} of ${page.data.totalResults} results`);
    }
  }
}
