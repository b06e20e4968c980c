/**
 * The v3 Graph client with an explicit middleware chain: authentication (a token for
 * `<endpoint>/.default` from the credential), our retry step, telemetry, fetch. The client's
 * own RetryHandler is left out on purpose: one retry policy per side, ours.
 */
import type { TokenCredential } from "@azure/identity";
import { AuthenticationHandler, Client, HTTPMessageHandler, TelemetryHandler } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../retry/index.js";
import type { GraphLogger } from "./logger.js";
import { RetryMiddleware, type Sleep } from "./retry-middleware.js";
import { DEFAULT_GRAPH_ENDPOINT, graphScope, type GraphSettings } from "./settings.js";

const GRAPH_HOSTS = new Set(["graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"]);

export function retryPolicyFor(settings: GraphSettings): RetryPolicy {
  return {
    ...DEFAULT_RETRY_POLICY,
    ...(settings.maxRetries === undefined ? {} : { maxRetries: settings.maxRetries }),
    ...settings.retry,
  };
}

export function createGraphClient(settings: GraphSettings, credential: TokenCredential, logger: GraphLogger, sleep: Sleep): Client {
  const endpoint = (settings.endpoint ?? DEFAULT_GRAPH_ENDPOINT).replace(/\/+$/, "");
  const host = new URL(endpoint).hostname;
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [graphScope(endpoint)] });
  const chain = [
    new AuthenticationHandler(authProvider),
    new RetryMiddleware(retryPolicyFor(settings), sleep, logger, settings.requestTimeoutMs ?? 60_000, settings.onResponse),
    new TelemetryHandler(),
    new HTTPMessageHandler(),
  ];
  return Client.initWithMiddleware({
    middleware: chain,
    baseUrl: endpoint,
    defaultVersion: "v1.0",
    // The client attaches the bearer token only to known Graph hosts or these.
    ...(GRAPH_HOSTS.has(host) ? {} : { customHosts: new Set([host]) }),
    fetchOptions: {
      headers: {
        "Accept-Language": settings.acceptLanguage ?? "en-US",
        "x-ms-throttle-priority": settings.throttlePriority ?? "Low",
      },
    },
  });
}
