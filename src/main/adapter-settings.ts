/**
 * The Graph and SCIM settings for a config: one place, so `test-connection` probes with exactly
 * what a cycle uses (endpoint, timeouts, retries, pacing). Knobs the file does not offer come
 * from config/defaults.ts; the adapters hold no defaults of their own.
 */
import { GRAPH_FIXED_SETTINGS, KLAXOON_FIXED_SETTINGS, type AgentConfig, type ProxyConfig } from "../config/index.js";
import type { ConnectionSettings, ProxyServer, ProxySettings, SystemTrustConnection } from "../net/index.js";
import type { GraphSettings } from "../graph/index.js";
import type { ScimClientSettings } from "../scim/index.js";

/** Callbacks the adapters call for each HTTP answer (the daemon's request metrics). */
export interface RequestObservers {
  readonly scimResponse?: (status: number | "error") => void;
  readonly graphResponse?: (status: number | "error") => void;
}

export function graphSettingsFor(config: AgentConfig, observers: RequestObservers = {}): GraphSettings {
  const graph = config.graph;
  return {
    endpoint: graph.endpoint,
    authorityHost: graph.authorityHost,
    fullReadIntervalHours: graph.fullReadIntervalHours,
    nestedGroups: graph.nestedGroups,
    membershipGroups: config.scoping.users.membershipGroups,
    requestTimeoutMs: graph.requestTimeoutSeconds * 1000,
    maxRetries: graph.maxRetries,
    ...GRAPH_FIXED_SETTINGS,
    connection: graphConnection(config),
    ...(observers.graphResponse ? { onResponse: observers.graphResponse } : {}),
  };
}

/** Graph and its token endpoint: the proxy, and `graph.tls.caFile`. */
export function graphConnection(config: AgentConfig): ConnectionSettings {
  return {
    name: "Graph",
    proxy: proxySettings(config.proxy),
    ca: config.graph.tls?.ca ?? null,
    caKey: "graph.tls.caFile",
    urlKey: "graph.endpoint",
  };
}

/** The token endpoint (`graph.authorityHost`): Graph's proxy and CA, named for itself. */
export function tokenConnection(config: AgentConfig): ConnectionSettings {
  return { ...graphConnection(config), name: "Entra token endpoint", urlKey: "graph.authorityHost" };
}

export function klaxoonConnection(config: AgentConfig): ConnectionSettings {
  return {
    name: "Klaxoon SCIM",
    proxy: proxySettings(config.proxy),
    ca: config.klaxoon.tls?.ca ?? null,
    caKey: "klaxoon.tls.caFile",
    urlKey: "klaxoon.tenantUrl",
  };
}

/** The webhook: the proxy, the system's CAs. */
export function webhookConnection(config: AgentConfig): ConnectionSettings {
  return { name: "webhook", proxy: proxySettings(config.proxy), ca: null, caKey: null, urlKey: "daemon.webhook.url" };
}

/** The Pushgateway: the proxy (NO_PROXY usually names an in-cluster gateway), the system's CAs. */
export function pushgatewayConnection(config: AgentConfig): SystemTrustConnection {
  return {
    name: "Pushgateway",
    proxy: proxySettings(config.proxy),
    ca: null,
    caKey: null,
    urlKey: "metrics.pushgateway.url",
  };
}

/** The OTLP collector: the proxy, the system's CAs; its URL comes from OTEL_EXPORTER_OTLP_* variables. */
export function otlpConnection(config: AgentConfig): SystemTrustConnection {
  return { name: "OTLP collector", proxy: proxySettings(config.proxy), ca: null, caKey: null, urlKey: null };
}

function proxySettings(proxy: ProxyConfig | null): ProxySettings | null {
  if (proxy === null) return null;
  const server = (config: ProxyConfig["https"]): ProxyServer | null =>
    config === null
      ? null
      : {
          url: config.url,
          from: config.from,
          authorization:
            config.credentials === null ? null : `Basic ${Buffer.from(config.credentials.reveal()).toString("base64")}`,
        };
  return { https: server(proxy.https), http: server(proxy.http), noProxy: proxy.noProxy };
}

export function scimSettingsFor(config: AgentConfig): ScimClientSettings {
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
    ...KLAXOON_FIXED_SETTINGS,
    connection: klaxoonConnection(config),
  };
}
