/**
 * How the agent reaches one endpoint (Graph and its authority, the SCIM Tenant URL, the
 * webhook): directly or through a forward proxy, trusting the system CAs or a private CA. The
 * settings are plain data, fully resolved by the composition root (config key, else the
 * environment); this module holds no defaults.
 */
import { rootCertificates } from "node:tls";
import { Agent, Dispatcher, ProxyAgent } from "undici";
import { bypassesProxy } from "./no-proxy.js";

/** A forward proxy; its URL carries no credentials (they are in `authorization`, never printed). */
export interface ProxyServer {
  /** `http://host:port`, without user or password: safe to print. */
  readonly url: string;
  /** `Proxy-Authorization` value (`Basic …`), or null. */
  readonly authorization: string | null;
  /** Where it was set (`proxy.url`, `HTTPS_PROXY`, …), for messages. */
  readonly from: string;
}

export interface ProxySettings {
  /** For https:// targets. */
  readonly https: ProxyServer | null;
  /** For http:// targets (loopback test servers, an on-prem SCIM over plain HTTP). */
  readonly http: ProxyServer | null;
  /** Hosts reached directly: `host`, `.suffix` or `*.suffix`, optional `:port`, or `*`. */
  readonly noProxy: readonly string[];
}

export interface ConnectionSettings {
  /** The endpoint in words, for messages (`Graph`, `Klaxoon SCIM`, `webhook`). */
  readonly name: string;
  readonly proxy: ProxySettings | null;
  /** PEM certificates trusted for this endpoint besides Node's bundled roots (NODE_EXTRA_CA_CERTS then does not apply), or null. */
  readonly ca: string | null;
  /** The config key that sets `ca` (`graph.tls.caFile`), named when a certificate is not trusted. */
  readonly caKey: string | null;
  /** The config key that sets the endpoint's URL (`klaxoon.tenantUrl`), named on a hostname mismatch. */
  readonly urlKey: string | null;
}

/** Pool tuning an adapter chooses for its connections. */
export type PoolTuning = Omit<Agent.Options, "connect" | "factory"> & { readonly connectTimeout?: number };

/** The proxy a request to `url` goes through under these settings, or null for a direct connection. */
export function proxyFor(settings: ConnectionSettings, url: string | URL): ProxyServer | null {
  const proxy = settings.proxy;
  if (proxy === null) return null;
  const target = typeof url === "string" ? new URL(url) : url;
  const server = target.protocol === "https:" ? proxy.https : proxy.http;
  if (server === null || bypassesProxy(proxy.noProxy, target)) return null;
  return server;
}

/**
 * An undici dispatcher for these settings: each request goes directly or through the proxy
 * its origin calls for (NO_PROXY decides per host), with the private CA for the endpoint's TLS.
 */
export function createDispatcher(settings: ConnectionSettings, tuning: PoolTuning = {}): Dispatcher {
  return new RoutingDispatcher(settings, tuning);
}

const shared = new Map<string, Dispatcher>();

/**
 * One dispatcher per distinct settings for the whole process, kept open like Node's global
 * one: clients made anew for each cycle (Graph's, the credential's, the webhook's) reuse its
 * keep-alive connections instead of a TLS handshake per cycle.
 */
export function sharedDispatcher(settings: ConnectionSettings, tuning: PoolTuning = {}): Dispatcher {
  const key = JSON.stringify([settings, tuning]);
  let dispatcher = shared.get(key);
  if (dispatcher === undefined) {
    dispatcher = createDispatcher(settings, tuning);
    shared.set(key, dispatcher);
  }
  return dispatcher;
}

class RoutingDispatcher extends Dispatcher {
  readonly #settings: ConnectionSettings;
  readonly #tuning: PoolTuning;
  #direct: Agent | null = null;
  readonly #proxied = new Map<string, ProxyAgent>();

  constructor(settings: ConnectionSettings, tuning: PoolTuning) {
    super();
    this.#settings = settings;
    this.#tuning = tuning;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = options.origin;
    if (origin === undefined) throw new TypeError("a request needs an origin");
    const proxy = proxyFor(this.#settings, new URL(String(origin)));
    return (proxy === null ? this.#directAgent() : this.#proxyAgent(proxy)).dispatch(options, handler);
  }

  #tls(): { ca?: string[] } {
    return this.#settings.ca === null ? {} : { ca: [...rootCertificates, this.#settings.ca] };
  }

  #directAgent(): Agent {
    this.#direct ??= new Agent({
      ...this.#tuning,
      connect: {
        ...this.#tls(),
        ...(this.#tuning.connectTimeout === undefined ? {} : { timeout: this.#tuning.connectTimeout }),
      },
    });
    return this.#direct;
  }

  #proxyAgent(proxy: ProxyServer): ProxyAgent {
    let agent = this.#proxied.get(proxy.url);
    if (agent === undefined) {
      agent = new ProxyAgent({
        ...this.#tuning,
        uri: proxy.url,
        ...(proxy.authorization === null ? {} : { token: proxy.authorization }),
        requestTls: this.#tls(),
      });
      this.#proxied.set(proxy.url, agent);
    }
    return agent;
  }

  #all(): Dispatcher[] {
    return [...(this.#direct ? [this.#direct] : []), ...this.#proxied.values()];
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const done = Promise.all(this.#all().map((d) => d.close())).then(() => undefined);
    if (callback) {
      void done.then(callback, callback);
      return;
    }
    return done;
  }

  override destroy(): Promise<void>;
  override destroy(error: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(error: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const error = typeof a === "function" ? null : (a ?? null);
    const callback = typeof a === "function" ? a : b;
    const done = Promise.all(this.#all().map((d) => d.destroy(error))).then(() => undefined);
    if (callback) {
      void done.then(callback, callback);
      return;
    }
    return done;
  }
}
