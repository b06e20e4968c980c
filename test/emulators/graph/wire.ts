/** The emulator's transport-neutral request and response, so `$batch` items reuse the routes. */
export interface EmuRequest {
  readonly method: string;
  /** Path without the query, e.g. `/v1.0/users/…`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  readonly inner: boolean;
  /** `https://127.0.0.1:PORT`, for links the emulator writes. */
  readonly origin: string;
}

export interface EmuResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmuResponse {
  return {
    status,
    headers: {
      "Content-Type":
        "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8",
      ...headers,
    },
    body,
  };
}

/** Graph's error body: `{ error: { code, message, innerError } }`. */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): EmuResponse {
  const requestId = crypto.randomUUID();
  return json(
    status,
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          "request-id": requestId,
          "client-request-id": requestId,
        },
      },
    },
    headers,
  );
}

/** Entra's token endpoint error body (AADSTS codes). */
export function aadError(status: number, error: string, aadsts: number, description: string): EmuResponse {
  const traceId = crypto.randomUUID();
  const correlationId = crypto.randomUUID();
  const timestamp = new Date().toISOString().replace("T", " ").replace("Z", "Z");
  return json(status, {
    error,
    error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
  });
}
