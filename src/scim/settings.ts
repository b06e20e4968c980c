/**
 * How the SCIM client is built, fully resolved: config/ owns every default and passes each
 * value, so this module holds none of its own.
 */
import type { ConnectionSettings } from "../net/index.js";
import type { RateLimit } from "../retry/index.js";

export type PatchDialect = "rfc" | "entra-legacy";

export interface ScimClientSettings {
  /** Klaxoon's Tenant URL, the SCIM base (`https://…/scim/v2`). */
  readonly tenantUrl: string;
  /** The Secret Token; sent only as `Authorization: Bearer`, never logged or put in messages. */
  readonly token: string;
  /** Requests (and pages of a listing) in flight at once; also the connection pool's size. */
  readonly concurrency: number;
  /**
   * The target's average rate limit; the client paces itself just under it. `"unlimited"`: no
   * pacing (concurrency alone bounds the load) until a 429 asks for it.
   */
  readonly requestsPerSecond: RateLimit;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Page size to ask for; null: the server's `filter.maxResults` (at most 1000), else 100. */
  readonly pageSize: number | null;
  readonly memberChunkSize: number;
  readonly patchDialect: PatchDialect;
  /** List extension URNs in `schemas` on create (RFC 7643); Entra does not. */
  readonly extensionInSchemas: boolean;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** Responses larger than this are refused as fatal. */
  readonly maxResponseBytes: number;
  /** Share of requestsPerSecond actually used (0 < x ≤ 1); the pacer's window rule absorbs jitter. */
  readonly rateHeadroom: number;
  /** Proxy and private CA for the Tenant URL. */
  readonly connection: ConnectionSettings;
}
