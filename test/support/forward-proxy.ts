/**
 * A real forward proxy on loopback (the `proxy` package, as Squid would answer) that records
 * every CONNECT it is asked for and every plain proxied request. `credentials` (`user:password`)
 * makes it demand Basic authentication; `refuse` makes it refuse every client (407).
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createProxy } from "proxy";

export interface ForwardProxy {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The `host:port` of every CONNECT, accepted or refused, in order. */
  readonly connects: string[];
  /** Requests sent to it as a plain HTTP proxy (absolute URLs), which the agent should never send. */
  readonly plainRequests: string[];
  close(): Promise<void>;
}

export interface ForwardProxyOptions {
  readonly credentials?: string;
  readonly refuse?: boolean;
}

export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const server = createProxy(createServer());
  const connects: string[] = [];
  const plainRequests: string[] = [];
  server.on("connect", (request: IncomingMessage) => connects.push(request.url ?? ""));
  server.on("request", (request: IncomingMessage) => plainRequests.push(request.url ?? ""));
  const expected =
    options.credentials === undefined ? null : `Basic ${Buffer.from(options.credentials).toString("base64")}`;
  if (options.refuse === true) server.authenticate = () => false;
  else if (expected !== null) server.authenticate = (request) => request.headers["proxy-authorization"] === expected;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    plainRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `host:port` of a URL, as a CONNECT names it. */
export function hostPort(url: string): string {
  const { hostname, port, protocol } = new URL(url);
  return `${hostname}:${port || (protocol === "https:" ? "443" : "80")}`;
}
