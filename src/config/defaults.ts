/**
 * Every default the adapters run with, in one place. The schema's `.default(...)` values refer
 * to these; knobs the config file does not offer (yet) are passed from here by the composition,
 * so graph/ and scim/ receive fully resolved settings and hold no defaults of their own.
 */

/** Graph knobs the config file does not offer: the composition passes them as they are. */
export const GRAPH_FIXED_SETTINGS = {
  retryBaseDelayMs: 500,
  maxRetryDelayMs: 180_000,
  /** `$top` for list calls (Graph's largest, 999). */
  pageSize: 999,
  /** `$batch` requests (or member listings) in flight at once. */
  concurrency: 4,
  /** From this many users to read by id, list every user and filter instead of batching. */
  listAllUsersThreshold: 2_000,
  /** Sent on every request (Node's fetch would send `*`). */
  acceptLanguage: "en-US",
  /** `x-ms-throttle-priority`: a background agent. */
  throttlePriority: "Low",
} as const;

/** Graph (`graph.*` in the config file), and the knobs the file does not offer. */
export const GRAPH_DEFAULTS = {
  endpoint: "https://graph.microsoft.com",
  authorityHost: "https://login.microsoftonline.com",
  /** Cycles read only Graph's changes; a full read at least this often catches what delta could miss. */
  fullReadIntervalHours: 24,
  nestedGroupsExpand: false,
  nestedGroupsMaxDepth: 5,
  requestTimeoutSeconds: 60,
  maxRetries: 5,
  ...GRAPH_FIXED_SETTINGS,
} as const;

/** SCIM knobs the config file does not offer: the composition passes them as they are. */
export const KLAXOON_FIXED_SETTINGS = {
  connectTimeoutMs: 10_000,
  /** null: the page size the server's /ServiceProviderConfig advertises. */
  pageSize: null,
  maxRetries: 5,
  retryBaseDelayMs: 500,
  maxRetryDelayMs: 120_000,
  maxResponseBytes: 64 * 1024 * 1024,
  /** All of the rate: the pacer's window rule absorbs jitter without a margin. */
  rateHeadroom: 1,
} as const;

/** Klaxoon's SCIM endpoint (`klaxoon.*` in the config file), and the knobs the file does not offer. */
export const KLAXOON_DEFAULTS = {
  requestsPerSecond: 16,
  concurrency: 8,
  timeoutSeconds: 30,
  patchDialect: "rfc",
  extensionInSchemas: true,
  memberChunkSize: 500,
  ...KLAXOON_FIXED_SETTINGS,
} as const;

/** `metrics.*`: the Pushgateway push at the end of a `sync` (one-shot runs, e.g. a CronJob). */
export const METRICS_DEFAULTS = {
  pushgatewayJob: "entra-klaxoon-sync",
  pushgatewayTimeoutSeconds: 10,
} as const;
