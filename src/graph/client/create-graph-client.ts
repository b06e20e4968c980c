/**
 * The v3 Graph client with an explicit middleware chain: authentication (a token for
 * `<endpoint>/.default` from the credential), our retry step, telemetry, fetch (undici's, over
 * the endpoint's proxy and CA: fetch-handler.ts). The client's own RetryHandler is left out on
 * purpose: one retry policy per side, ours.
 */
import type { TokenCredential } from "@azure/identity";
import { AuthenticationHandler, Client, TelemetryHandler } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../../retry/index.js";
import type { GraphLogger } from "./logger.js";
import type { Clock } from "../../model/index.js";
import { RetryMiddleware } from "./retry-middleware.js";
import { FetchHandler } from "./fetch-handler.js";
import { sharedDispatcher } from "../../net/index.js";
import { graphScope, type GraphSettings } from "../settings.js";

const GRAPH_HOSTS = new Set([
  "graph.microsoft.com",
  "graph.microsoft.us",
  "dod-graph.microsoft.us",
  "microsoftgraph.chinacloudapi.cn",
]);

/** The one retry policy with the configured bounds; which statuses are worth a retry is the policy's, not a setting. */
export function retryPolicyFor(settings: GraphSettings): RetryPolicy {
  return {
    maxRetries: settings.maxRetries,
    baseDelayMs: settings.retryBaseDelayMs,
    maxDelayMs: settings.maxRetryDelayMs,
    retryStatuses: DEFAULT_RETRY_POLICY.retryStatuses,
  };
}

export function createGraphClient(
  settings: GraphSettings,
  credential: TokenCredential,
  logger: GraphLogger,
  clock: Clock,
): Client {
  const endpoint = settings.endpoint.replace(/\/+$/, "");
  const host = new URL(endpoint).hostname;
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [graphScope(endpoint)] });
  const chain = [
    new AuthenticationHandler(authProvider),
    new RetryMiddleware(retryPolicyFor(settings), clock, logger, settings.requestTimeoutMs, settings.onResponse),
    new TelemetryHandler(),
    new FetchHandler(sharedDispatcher(settings.connection), settings.connection),
  ];
  return Client.initWithMiddleware({
    middleware: chain,
    baseUrl: endpoint,
    defaultVersion: "v1.0",
    // The client attaches the bearer token only to known Graph hosts or these.
    ...(GRAPH_HOSTS.has(host) ? {} : { customHosts: new Set([host]) }),
    fetchOptions: {
      headers: {
        "Accept-Language": settings.acceptLanguage,
        "x-ms-throttle-priority": settings.throttlePriority,
      },
    },
  });
}
