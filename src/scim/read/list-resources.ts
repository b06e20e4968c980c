/**
 * A SCIM collection as an async iterable, page by page with startIndex/count (RFC 7644
 * §3.4.2.4). Once the first page tells the total, the following pages are asked for several at a
 * time (`parallelPages`), and yielded in order. A server that sends fewer than asked makes the
 * precomputed offsets wrong: from that page on, the listing goes one page after another,
 * following what the server actually returned. A read that cannot be completed throws; a short
 * or inconsistent listing is an error too.
 */
import type { RequestExecutor } from "../http/execute-request.js";
import { malformed, readError } from "./read-errors.js";
import { listResponseSchema } from "../resources/wire.js";

export interface ListQuery {
  readonly path: "/Users" | "/Groups";
  readonly pageSize: number;
  readonly filter?: string;
  readonly excludedAttributes?: string;
  /** Pages in flight at once after the first (1: strictly one after another). */
  readonly parallelPages?: number;
}

interface Page {
  readonly resources: readonly unknown[];
  readonly totalResults: number;
}

export async function* listResources(executor: RequestExecutor, query: ListQuery): AsyncIterable<unknown> {
  const what = `GET ${query.path}`;
  const first = await fetchPage(executor, query, 1, what);
  yield* first.resources;
  let startIndex = 1 + first.resources.length;
  const total = first.totalResults;
  if (startIndex > total) return;
  if (first.resources.length === 0) throw malformed(what, `empty page at startIndex 1 of ${total} results`);

  // Full pages of the size asked for: the rest of the offsets are known, ask for them ahead.
  const parallel = Math.max(1, query.parallelPages ?? 1);
  if (first.resources.length === query.pageSize && parallel > 1) {
    const ahead: { readonly startIndex: number; readonly page: Promise<Page> }[] = [];
    let nextToAsk = startIndex;
    const fill = (): void => {
      while (ahead.length < parallel && nextToAsk <= total) {
        const page = fetchPage(executor, query, nextToAsk, what);
        // Handled here so a page failing while an earlier one is awaited is not an unhandled
        // rejection; awaiting it below still throws its error.
        page.catch(() => undefined);
        ahead.push({ startIndex: nextToAsk, page });
        nextToAsk += query.pageSize;
      }
    };
    fill();
    while (ahead.length > 0) {
      const next = ahead.shift()!;
      const page = await next.page;
      yield* page.resources;
      startIndex = next.startIndex + page.resources.length;
      if (startIndex > total) return;
      if (page.resources.length !== query.pageSize) break; // a short page: go on one by one
      fill();
    }
  }

  for (;;) {
    const page = await fetchPage(executor, query, startIndex, what);
    yield* page.resources;
    startIndex += page.resources.length;
    if (startIndex > page.totalResults) return;
    if (page.resources.length === 0)
      throw malformed(what, `empty page at startIndex ${startIndex} of ${page.totalResults} results`);
  }
}

async function fetchPage(executor: RequestExecutor, query: ListQuery, startIndex: number, what: string): Promise<Page> {
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
  return { resources: page.data.Resources ?? [], totalResults: page.data.totalResults };
}
