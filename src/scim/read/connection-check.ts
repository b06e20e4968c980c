/**
 * Entra's Test Connection, as a verdict: `GET /Users?filter=userName eq "<random GUID>"` must
 * answer 200 with an empty list. It needs the bearer token (RFC 7644 lets /ServiceProviderConfig
 * be anonymous, so that one proves nothing about the token). `test-connection` prints the
 * verdict; every cycle that would otherwise send Klaxoon nothing sends it too, and fails on it.
 */
import type { TargetUser } from "../../model/index.js";
import type { ReadResult } from "./read-result.js";

export const CONNECTION_TEST = 'GET /Users?filter=userName eq "<random GUID>"';

export type ConnectionVerdict =
  | { readonly ok: true; readonly detail: string }
  | {
      readonly ok: false;
      readonly reason: string;
      /** All but KLAXOON_UNREACHABLE quarantine at once, as Entra does for refused credentials and a non-compliant target. */
      readonly code:
        | "KLAXOON_UNAUTHORIZED"
        | "KLAXOON_NOT_COMPLIANT"
        | "KLAXOON_UNEXPECTED_RESPONSE"
        | "KLAXOON_UNREACHABLE";
    };

export function connectionVerdict(outcome: ReadResult<TargetUser | null>): ConnectionVerdict {
  if (outcome.ok) {
    if (outcome.value === null) return { ok: true, detail: `${CONNECTION_TEST} answered 200 with an empty list` };
    return {
      ok: false,
      code: "KLAXOON_NOT_COMPLIANT",
      reason: `not SCIM-compliant: ${CONNECTION_TEST} returned user ${outcome.value.id} (the filter was ignored)`,
    };
  }
  const { kind, status, message } = outcome;
  if (kind === "unauthorized")
    return {
      ok: false,
      code: "KLAXOON_UNAUTHORIZED",
      reason: `the Secret Token was refused (${message}): check klaxoon.secretToken`,
    };
  if (status === 404) {
    return {
      ok: false,
      code: "KLAXOON_NOT_COMPLIANT",
      reason:
        "not SCIM-compliant: GET /Users answered HTTP 404: check klaxoon.tenantUrl (the SCIM base URL, ending in /scim/v2 or similar)",
    };
  }
  const answered = status !== null && status >= 200 && status < 300;
  // Several users for a random userName: the filter was ignored.
  if (answered && kind === "conflict")
    return { ok: false, code: "KLAXOON_NOT_COMPLIANT", reason: `not SCIM-compliant: ${CONNECTION_TEST}: ${message}` };
  // Answered, but not with a ListResponse we can read (cut-off JSON, far too large…): as a read would say.
  if (answered) return { ok: false, code: "KLAXOON_UNEXPECTED_RESPONSE", reason: `${CONNECTION_TEST}: ${message}` };
  if (kind === "transient" || kind === "throttled")
    return { ok: false, code: "KLAXOON_UNREACHABLE", reason: `could not complete ${CONNECTION_TEST}: ${message}` };
  return { ok: false, code: "KLAXOON_NOT_COMPLIANT", reason: `${CONNECTION_TEST} failed: ${message}` };
}
