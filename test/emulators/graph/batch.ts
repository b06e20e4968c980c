/** `POST /v1.0/$batch`: up to 20 requests, answered one by one, each with its own status. */
import { graphError, json, type EmuRequest, type EmuResponse } from "./wire.js";

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
}

export const MAX_BATCH = 20;

export async function handleBatch(
  req: EmuRequest,
  send: (inner: EmuRequest) => Promise<EmuResponse>,
): Promise<EmuResponse> {
  const items = parseItems(req.body);
  if (!items) return graphError(400, "BadRequest", "Invalid batch payload format.");
  if (items.length > MAX_BATCH)
    return graphError(400, "BadRequest", `Limit of ${MAX_BATCH} requests per batch exceeded.`);
  const ids = new Set(items.map((i) => i.id));
  if (ids.size !== items.length) return graphError(400, "BadRequest", "Batch request contains duplicate request ids.");
  const responses = await Promise.all(
    items.map(async (item) => {
      const relative = item.url.startsWith("/") ? item.url : `/${item.url}`;
      const url = new URL(`${req.origin}/v1.0${relative}`);
      const headers: Record<string, string | undefined> = { authorization: req.headers.authorization };
      for (const [k, v] of Object.entries(item.headers ?? {})) headers[k.toLowerCase()] = v;
      const inner = await send({
        method: item.method.toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: "",
        inner: true,
        origin: req.origin,
      });
      return { id: item.id, status: inner.status, headers: inner.headers, body: inner.body };
    }),
  );
  return json(200, { responses });
}

function parseItems(body: string): BatchItem[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || !("requests" in parsed) || !Array.isArray(parsed.requests))
    return null;
  const items: BatchItem[] = [];
  for (const raw of parsed.requests as unknown[]) {
    if (typeof raw !== "object" || raw === null) return null;
    const { id, method, url, headers } = raw as Record<string, unknown>;
    if (typeof id !== "string" || typeof method !== "string" || typeof url !== "string") return null;
    items.push({
      id,
      method,
      url,
      headers: typeof headers === "object" && headers !== null ? (headers as Record<string, string>) : {},
    });
  }
  return items;
}
