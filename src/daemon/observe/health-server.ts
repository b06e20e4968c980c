import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../../log/index.js";
import { readiness, type HealthStatus } from "./health-status.js";
import type { DaemonMetrics } from "./metrics.js";

export interface HealthServerOptions {
  readonly host: string;
  readonly port: number;
  readonly status: () => HealthStatus;
  readonly metrics: DaemonMetrics;
  readonly logger: Logger;
}

export interface HealthServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** /healthz (alive), /readyz (503 when not ready), /metrics (Prometheus text). GET and HEAD only. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      options.logger.error(
        { error: error instanceof Error ? error.message : String(error), path: req.url },
        "health server failed to answer",
      );
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", "internal error\n");
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  options.logger.info({ host: address.address, port: address.port }, "health and metrics server listening");
  return {
    port: address.port,
    url: `http://${host}:${address.port}`,
    close: async () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HealthServerOptions): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return send(res, 405, "text/plain; charset=utf-8", "method not allowed\n");
  }
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  switch (path) {
    case "/healthz":
      return send(res, 200, "text/plain; charset=utf-8", "ok\n");
    case "/readyz": {
      const verdict = readiness(options.status());
      return send(res, verdict.ready ? 200 : 503, "text/plain; charset=utf-8", `${verdict.reason}\n`);
    }
    case "/metrics":
      return send(res, 200, options.metrics.contentType, await options.metrics.render());
    default:
      return send(res, 404, "text/plain; charset=utf-8", "not found\n");
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(res.req.method === "HEAD" ? undefined : body);
}
