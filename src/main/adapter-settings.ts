/**
 * The Graph and SCIM settings for a config: one place, so `test-connection` probes with exactly
 * what a cycle uses (endpoint, timeouts, retries, pacing).
 */
import type { AgentConfig } from "../config/index.js";
import type { GraphSettings } from "../graph/index.js";
import type { ScimClientSettings } from "../scim/index.js";

/** Callbacks the adapters call for each HTTP answer (the daemon's request metrics). */
export interface RequestObservers {
  readonly scimResponse?: (status: number | "error") => void;
  readonly graphResponse?: (status: number | "error") => void;
}

export function graphSettingsFor(config: AgentConfig, observers: RequestObservers = {}): GraphSettings {
  return {
    endpoint: config.graph.endpoint,
    authorityHost: config.graph.authorityHost,
    fullReadIntervalHours: config.graph.fullReadIntervalHours,
    nestedGroups: config.graph.nestedGroups,
    membershipGroups: config.scoping.users.membershipGroups,
    requestTimeoutMs: config.graph.requestTimeoutSeconds * 1000,
    maxRetries: config.graph.maxRetries,
    ...(observers.graphResponse ? { onResponse: observers.graphResponse } : {}),
  };
}

export function scimSettingsFor(config: AgentConfig, observers: RequestObservers = {}): ScimClientSettings {
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
    ...(observers.scimResponse ? { onResponse: observers.scimResponse } : {}),
  };
}
