/**
 * The same routing as `createDispatcher`, for the libraries that take a `node:http` Agent
 * instead of an undici dispatcher (prom-client's Pushgateway, the OTLP exporter): direct, or
 * through the proxy its target calls for (NO_PROXY decides). A proxy is always a CONNECT
 * tunnel, for http:// targets too, as for every other endpoint, so TLS stays end to end and
 * the proxy never sees a request line (https-proxy-agent). These endpoints have no `caFile`
 * key: they trust the system's CAs, which the type says.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { HttpsProxyAgent } from "https-proxy-agent";
import { type ConnectionSettings, proxyFor } from "./connection.js";

export type SystemTrustConnection = ConnectionSettings & { readonly ca: null };

/** An Agent for requests to `url`'s origin under these settings. */
export function nodeAgentFor(settings: SystemTrustConnection, url: string): HttpAgent {
  const target = new URL(url);
  const proxy = proxyFor(settings, target);
  if (proxy !== null) {
    const headers = proxy.authorization === null ? {} : { "Proxy-Authorization": proxy.authorization };
    return new HttpsProxyAgent(proxy.url, { headers });
  }
  return target.protocol === "https:" ? new HttpsAgent() : new HttpAgent();
}
