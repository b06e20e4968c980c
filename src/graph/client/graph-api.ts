/**
 * The adapter's only door to the Graph client: GET, $batch, and collections as async iterables
 * that follow `@odata.nextLink` page by page. Vendor errors become ours here, once.
 */
import { GraphError, type Client } from "@microsoft/microsoft-graph-client";
import type { z } from "zod";
import { credentialError, resourceOf, toGraphError } from "./graph-errors.js";
import { batchResponse, collectionPage, deltaPage, type BatchItemResponse } from "./wire-schemas.js";

/** @azure/identity's error names, as the Graph client passes them on (status -1). */
const CREDENTIAL_ERRORS = new Set([
  "AuthenticationError",
  "AuthenticationRequiredError",
  "CredentialUnavailableError",
  "AggregateAuthenticationError",
]);

export interface BatchRequestItem {
  readonly id: string;
  readonly url: string;
}

export class GraphApi {
  private readonly client: Client;

  constructor(client: Client) {
    this.client = client;
  }

  async get<T extends z.ZodType>(path: string, schema: T): Promise<z.infer<T>> {
    const raw: unknown = await this.call(path, () => this.client.api(path).get());
    return parseOrThrow(schema, raw, path);
  }

  /** Each item of a collection, one page at a time (never the whole collection in memory). */
  async *pages(path: string): AsyncGenerator<unknown[]> {
    const seen = new Set<string>();
    let next: string | undefined = path;
    while (next !== undefined) {
      const url: string = notSeenBefore(seen, next);
      const raw: unknown = await this.call(url, () => this.client.api(url).get());
      const page = parseOrThrow(collectionPage, raw, url);
      yield page.value;
      next = page["@odata.nextLink"];
    }
  }

  /** Delta pages until the one carrying `@odata.deltaLink` (empty pages with a nextLink included). */
  async *deltaPages(path: string): AsyncGenerator<{ value: unknown[]; deltaLink?: string }> {
    const seen = new Set<string>();
    let next: string | undefined = path;
    while (next !== undefined) {
      const url: string = notSeenBefore(seen, next);
      const raw: unknown = await this.call(url, () => this.client.api(url).get());
      const page = parseOrThrow(deltaPage, raw, url);
      const deltaLink = page["@odata.deltaLink"];
      yield deltaLink === undefined ? { value: page.value } : { value: page.value, deltaLink };
      next = deltaLink === undefined ? page["@odata.nextLink"] : undefined;
      if (next === undefined && deltaLink === undefined)
        throw toGraphError(resourceOf(url), 200, null, "delta page with neither nextLink nor deltaLink");
    }
  }

  async *items(path: string): AsyncGenerator<unknown> {
    for await (const page of this.pages(path)) yield* page;
  }

  /** One `$batch` of ≤ 20 GETs; the answer holds one status per item (inner 429s included). */
  async batch(items: readonly BatchRequestItem[]): Promise<BatchItemResponse[]> {
    const body = { requests: items.map((item) => ({ id: item.id, method: "GET", url: item.url })) };
    const raw: unknown = await this.call("/$batch", () => this.client.api("/$batch").post(body));
    return parseOrThrow(batchResponse, raw, "/$batch").responses;
  }

  private async call(url: string, send: () => Promise<unknown>): Promise<unknown> {
    try {
      return await send();
    } catch (error) {
      // The client copies `error.code` from the body as it is: a server may send any JSON there.
      const code = error instanceof GraphError && typeof error.code === "string" ? error.code : null;
      if (error instanceof GraphError && CREDENTIAL_ERRORS.has(code ?? "")) throw credentialError(error);
      if (error instanceof GraphError && error.statusCode > 0) {
        throw toGraphError(resourceOf(url), error.statusCode, code, error.message, error);
      }
      const message = error instanceof Error ? error.message : String(error);
      throw toGraphError(resourceOf(url), null, code, message, error);
    }
  }
}

function parseOrThrow<T extends z.ZodType>(schema: T, raw: unknown, url: string): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw toGraphError(
      resourceOf(url),
      200,
      null,
      `unexpected response shape (${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"})`,
    );
  }
  return parsed.data;
}

/** A page link already followed in this walk would repeat it forever: a server bug, refused. */
function notSeenBefore(seen: Set<string>, link: string): string {
  if (seen.has(link))
    throw toGraphError(
      resourceOf(link),
      200,
      null,
      `the server sent a page link already followed (${link.slice(0, 200)}); paging stopped`,
    );
  seen.add(link);
  return link;
}
