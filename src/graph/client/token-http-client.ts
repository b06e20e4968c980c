/**
 * The HTTP client of the token requests (@azure/identity's pipeline, which MSAL's calls to the
 * authority go through): undici over the endpoint's dispatcher, so the token endpoint takes
 * the same proxy and `graph.tls.caFile` as Graph. MSAL turns a failed request into a generic
 * `endpoints_resolution_error`; the last connection failure is kept here so the credential can
 * say what actually went wrong.
 */
import type { TokenCredentialOptions } from "@azure/identity";
import { request, type Dispatcher } from "undici";
import { describeConnectionFailure, type ConnectionFailure, type ConnectionSettings } from "../../net/index.js";

type HttpClient = NonNullable<TokenCredentialOptions["httpClient"]>;
type PipelineRequest = Parameters<HttpClient["sendRequest"]>[0];
type PipelineResponse = Awaited<ReturnType<HttpClient["sendRequest"]>>;
type HttpHeaders = PipelineResponse["headers"];

export interface TokenHttpClient extends HttpClient {
  /** The connection failure of the last request that failed, or null; cleared by `take`. */
  takeFailure(): ConnectionFailure | null;
}

export function createTokenHttpClient(dispatcher: Dispatcher, connection: ConnectionSettings): TokenHttpClient {
  let lastFailure: ConnectionFailure | null = null;
  return {
    async sendRequest(pipelineRequest: PipelineRequest): Promise<PipelineResponse> {
      const url = new URL(pipelineRequest.url);
      const signals = [
        pipelineRequest.abortSignal,
        pipelineRequest.timeout > 0 ? AbortSignal.timeout(pipelineRequest.timeout) : undefined,
      ];
      const active = signals.filter((signal): signal is AbortSignal => signal !== undefined);
      try {
        const response = await request(url, {
          dispatcher,
          method: pipelineRequest.method as Dispatcher.HttpMethod,
          headers: pipelineRequest.headers.toJSON(),
          body: bodyOf(pipelineRequest.body),
          ...(active.length === 0 ? {} : { signal: AbortSignal.any(active) }),
        });
        const headers = createHeaders();
        for (const [name, value] of Object.entries(response.headers))
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
        return {
          request: pipelineRequest,
          status: response.statusCode,
          headers,
          bodyAsText: await response.body.text(),
        };
      } catch (error) {
        const failure = describeConnectionFailure(error, connection, url.href);
        if (failure === null) throw error;
        lastFailure = failure;
        throw new Error(failure.message, { cause: error });
      }
    },
    takeFailure() {
      const failure = lastFailure;
      lastFailure = null;
      return failure;
    },
  };
}

function bodyOf(body: PipelineRequest["body"]): string | Buffer | null {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError("token request bodies are strings or bytes");
}

/** The pipeline's header bag: case-insensitive names, as @azure/core-rest-pipeline's own. */
function createHeaders(): HttpHeaders {
  const map = new Map<string, { name: string; value: string }>();
  const headers: HttpHeaders = {
    get: (name) => map.get(name.toLowerCase())?.value,
    has: (name) => map.has(name.toLowerCase()),
    set: (name, value) => {
      map.set(name.toLowerCase(), { name, value: String(value) });
    },
    delete: (name) => {
      map.delete(name.toLowerCase());
    },
    toJSON: (options) =>
      Object.fromEntries(
        [...map.entries()].map(([key, entry]) => [options?.preserveCase ? entry.name : key, entry.value]),
      ),
    *[Symbol.iterator]() {
      for (const [key, entry] of map) yield [key, entry.value] as [string, string];
    },
  };
  return headers;
}
