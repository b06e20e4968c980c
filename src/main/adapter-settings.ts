/**
 * The Graph and SCIM settings for a config: one place, so `test-connection` probes with exactly
 * what a cycle uses (endpoint, timeouts, retries, pacing). Knobs the file does not offer come
 * from config/defaults.ts; the adapters hold no defaults of their own.
 */
import { GRAPH_DEFAULTS, KLAXOON_DEFAULTS, type AgentConfig } from "../config/index.js";
import type { GraphSettings } from "../graph/index.js";
import type { ScimClientSettings } from "../scim/index.js";

/** Callbacks the adapters call for each HTTP answer (the daemon's request metrics). */
export interface RequestObservers {
  readonly scimResponse?: (status: number | "error") => void;
  readonly graphResponse?: (status: number | "error") => void;
}

export function graphSettingsFor(config: AgentConfig, observers: RequestObservers = {}): GraphSettings {
  const {
    pageSize,
    retryBaseDelayMs,
    maxRetryDelayMs,
    concurrency,
    listAllUsersThreshold,
    acceptLanguage,
    throttlePriority,
  } = GRAPH_DEFAULTS;
  const graph = config.graph;
  return {
    endpoint: graph.endpoint,
    authorityHost: graph.authorityHost,
    fullReadIntervalHours: graph.fullReadIntervalHours,
    nestedGroups: graph.nestedGroups,
    membershipGroups: config.scoping.users.membershipGroups,
    requestTimeoutMs: graph.requestTimeoutSeconds * 1000,
    maxRetries: graph.maxRetries,
    pageSize,
    retryBaseDelayMs,
    maxRetryDelayMs,
    concurrency,
    listAllUsersThreshold,
    acceptLanguage,
    throttlePriority,
    ...(observers.graphResponse ? { onResponse: observers.graphResponse } : {}),
  };
}

export function scimSettingsFor(config: AgentConfig): ScimClientSettings {
  const { connectTimeoutMs, pageSize, maxRetries, retryBaseDelayMs, maxRetryDelayMs, maxResponseBytes, rateHeadroom } =
    KLAXOON_DEFAULTS;
  const klaxoon = config.klaxoon;
  return {
    tenantUrl: klaxoon.tenantUrl,
    token: klaxoon.secretToken.reveal(),
    concurrency: klaxoon.concurrency,
    requestsPerSecond: klaxoon.requestsPerSecond,
    timeoutMs: klaxoon.timeoutSeconds * 1000,
    patchDialect: klaxoon.patchDialect,
    extensionInSchemas: klaxoon.extensionInSchemas,
    memberChunkSize: klaxoon.memberChunkSize,
    connectTimeoutMs,
    pageSize,
    maxRetries,
    retryBaseDelayMs,
    maxRetryDelayMs,
    maxResponseBytes,
    rateHeadroom,
  };
}
