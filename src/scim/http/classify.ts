/**
 * Turns one HTTP result into a success or a typed failure, once, here. The rules:
 * 2xx success (a body that is not JSON where one is needed is fatal, checked by the caller);
 * 429 throttled; 5xx, 408 and network errors transient (an untrusted certificate or a
 * refusing proxy fatal); 409 pending when the detail says
 * "User confirmation pending", else conflict; 401/403 unauthorized; 404 on a collection fatal,
 * on one resource invalid; other 4xx invalid; anything else (3xx, oversized or non-JSON errors) fatal.
 */
import type { FailureKind } from "../../apply/index.js";
import type { HttpResult } from "./transport.js";
import { scimErrorSchema } from "../resources/wire.js";

export interface Failure {
  readonly kind: FailureKind;
  readonly status: number | null;
  readonly message: string;
}

export function classifyResult(result: HttpResult, onCollection: boolean): Failure | null {
  if (result.kind === "network")
    return {
      kind: result.permanent === true ? "fatal" : "transient",
      status: null,
      message: `network error: ${result.message}`,
    };
  const { status } = result;
  if (result.bodyProblem === "too-large")
    return { kind: "fatal", status, message: `HTTP ${status}: response larger than the allowed maximum` };
  if (status >= 200 && status < 300) return null;
  const message = describe(result);
  if (status === 429) return { kind: "throttled", status, message };
  if (status >= 500 || status === 408) return { kind: "transient", status, message };
  if (status === 401 || status === 403) return { kind: "unauthorized", status, message };
  if (status === 409) return { kind: /confirmation pending/i.test(message) ? "pending" : "conflict", status, message };
  if (status === 404 && onCollection)
    return { kind: "fatal", status, message: `${message} (the Tenant URL does not look like a SCIM endpoint)` };
  if (status >= 400 && status < 500) return { kind: "invalid", status, message };
  return { kind: "fatal", status, message };
}

/** The server's own words, bounded; never anything from the request. */
function describe(result: Extract<HttpResult, { kind: "response" }>): string {
  const parsed = scimErrorSchema.safeParse(result.json);
  const detail = parsed.success ? [parsed.data.scimType, parsed.data.detail].filter(Boolean).join(": ") : "";
  const text = detail === "" ? (result.bodyProblem === "not-json" ? "non-JSON error body" : "no detail") : detail;
  return `HTTP ${result.status}: ${text.slice(0, 500)}`;
}
