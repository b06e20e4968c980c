/**
 * One HTTP exchange with the Tenant URL over keep-alive undici connections (directly or through
 * the proxy, with the endpoint's CA): SCIM headers, bearer token, timeouts, a cap on the
 * response size. Never throws: a network failure is a value, in words that name the proxy or
 * the certificate problem. Nothing here puts a header (so never the token) into a result or a message.
 */
import { createDispatcher, describeConnectionFailure, type ConnectionSettings } from "../../net/index.js";

export interface HttpRequest {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path below the Tenant URL (`/Users`, `/Groups/abc`). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number>>;
  readonly body?: unknown;
}

export type HttpResult =
  | {
      readonly kind: "response";
      readonly status: number;
      readonly retryAfter: string | null;
      /** Parsed JSON, or undefined for an empty body. */
      readonly json: unknown;
      /** Set when the body was neither empty nor JSON, or too large. */
      readonly bodyProblem: "not-json" | "too-large" | null;
    }
  | {
      readonly kind: "network";
      readonly message: string;
      /** A certificate the endpoint's trust refuses, or a proxy that refused: retrying cannot help. */
      readonly permanent?: boolean;
    };

export interface Transport {
  send(request: HttpRequest): Promise<HttpResult>;
  close(): Promise<void>;
}

export interface TransportOptions {
  readonly tenantUrl: string;
  readonly token: string;
  readonly connections: number;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxResponseBytes: number;
  /** Proxy and private CA for the Tenant URL. */
  readonly connection: ConnectionSettings;
}

export function createTransport(options: TransportOptions): Transport {
  const base = new URL(options.tenantUrl);
  const basePath = base.pathname.replace(/\/+$/, "");
  const pool = createDispatcher(options.connection, {
    connections: options.connections,
    connectTimeout: options.connectTimeoutMs,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 30_000,
  });
  const headers = {
    authorization: `Bearer ${options.token}`,
    accept: "application/scim+json, application/json",
    "content-type": "application/scim+json",
  };

  async function send(request: HttpRequest): Promise<HttpResult> {
    // A deadline cleared with the answer: AbortSignal.timeout's timer and signal would outlive
    // each of 30,000 writes by a minute.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException("The operation timed out", "TimeoutError")),
      options.timeoutMs * 2,
    );
    try {
      const response = await pool.request({
        origin: base.origin,
        method: request.method,
        path: `${basePath}${request.path}${toQuery(request.query)}`,
        headers,
        body: request.body === undefined ? null : JSON.stringify(request.body),
        signal: deadline.signal,
      });
      const retryAfter = header(response.headers["retry-after"]) ?? header(response.headers["x-retry-after"]);
      const text = await readCapped(response.body, options.maxResponseBytes);
      if (text === null)
        return { kind: "response", status: response.statusCode, retryAfter, json: undefined, bodyProblem: "too-large" };
      if (text.trim() === "")
        return { kind: "response", status: response.statusCode, retryAfter, json: undefined, bodyProblem: null };
      try {
        return {
          kind: "response",
          status: response.statusCode,
          retryAfter,
          json: JSON.parse(text) as unknown,
          bodyProblem: null,
        };
      } catch {
        return { kind: "response", status: response.statusCode, retryAfter, json: undefined, bodyProblem: "not-json" };
      }
    } catch (error) {
      const url = `${base.origin}${basePath}${request.path}`;
      const connection = describeConnectionFailure(error, options.connection, url);
      return connection === null
        ? { kind: "network", message: describeNetworkError(error) }
        : { kind: "network", message: connection.message, permanent: connection.permanent };
    } finally {
      clearTimeout(timer);
    }
  }

  let closing: Promise<void> | null = null;
  return { send, close: () => (closing ??= pool.close()) };
}

/** Query values are percent-encoded with %20 for spaces (not `+`, which some servers keep). */
function toQuery(query: HttpRequest["query"]): string {
  if (!query) return "";
  const parts = Object.entries(query).map(
    ([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`,
  );
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}

function header(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy(): unknown },
  max: number,
): Promise<string | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return "network error";
  const code = "code" in error && typeof error.code === "string" ? `${error.code}: ` : "";
  return `${code}${error.message}`.slice(0, 300);
}
