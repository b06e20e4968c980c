/** How the SCIM client is built: what config gives it, with the defaults filled in here. */
export type PatchDialect = "rfc" | "entra-legacy";

export interface ScimClientSettings {
  /** Klaxoon's Tenant URL, the SCIM base (`https://…/scim/v2`). */
  readonly tenantUrl: string;
  /** The Secret Token; sent only as `Authorization: Bearer`, never logged or put in messages. */
  readonly token: string;
  readonly concurrency?: number;
  /** The target's average rate limit; the client paces itself just under it. */
  readonly requestsPerSecond?: number;
  readonly timeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** Page size to ask for; default: the server's `filter.maxResults`, else 100. */
  readonly pageSize?: number;
  readonly memberChunkSize?: number;
  readonly patchDialect?: PatchDialect;
  /** List extension URNs in `schemas` on create (RFC 7643); Entra does not. */
  readonly extensionInSchemas?: boolean;
  readonly maxRetries?: number;
  readonly retryBaseDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Responses larger than this are refused as fatal. */
  readonly maxResponseBytes?: number;
  /** Share of requestsPerSecond actually used (0 < x ≤ 1); 1 by default, as the pacer's window rule absorbs jitter. */
  readonly rateHeadroom?: number;
  /** Told of every HTTP answer (or network failure), for request metrics. */
  readonly onResponse?: (status: number | "error") => void;
}

export type ResolvedSettings = Required<Omit<ScimClientSettings, "pageSize" | "onResponse">> & { readonly pageSize: number | null };

export function resolveSettings(settings: ScimClientSettings): ResolvedSettings {
  return {
    tenantUrl: settings.tenantUrl,
    token: settings.token,
    concurrency: settings.concurrency ?? 8,
    requestsPerSecond: settings.requestsPerSecond ?? 16,
    timeoutMs: settings.timeoutMs ?? 30_000,
    connectTimeoutMs: settings.connectTimeoutMs ?? 10_000,
    pageSize: settings.pageSize ?? null,
    memberChunkSize: settings.memberChunkSize ?? 500,
    patchDialect: settings.patchDialect ?? "rfc",
    extensionInSchemas: settings.extensionInSchemas ?? true,
    maxRetries: settings.maxRetries ?? 5,
    retryBaseDelayMs: settings.retryBaseDelayMs ?? 500,
    maxRetryDelayMs: settings.maxRetryDelayMs ?? 120_000,
    maxResponseBytes: settings.maxResponseBytes ?? 64 * 1024 * 1024,
    rateHeadroom: settings.rateHeadroom ?? 1,
  };
}
