/**
 * Starts a Klaxoon-compatible SCIM 2.0 server on http://127.0.0.1:<random port> (https:// with
 * the `tls` option, for private-CA tests), built on
 * SCIMMY + scimmy-routers (express). Faults and the rate limit run before the SCIM router;
 * the request log records every request, including ones answered 429/5xx or reset.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import express, { type NextFunction, type Request, type Response } from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";
import { KlaxoonFaults, type RateLimit } from "./faults.js";
import { declareKlaxoonResources, type EmulatorContext } from "./klaxoon-schema.js";
import { memberPatchFastPath } from "./member-patch.js";
import { normaliseRequest, sendError, type ExtensionSchemasPolicy } from "./normalise-request.js";
import { RequestLog } from "./request-log.js";
import { KlaxoonStore, type Deactivation } from "./store.js";

export interface KlaxoonEmulatorOptions {
  /** The Secret Token (default: random). */
  token?: string;
  /** Base path of the Tenant URL (default `/scim/v2`). */
  basePath?: string;
  /** Largest page served, whatever `count` asks (default 100). */
  maxPageSize?: number;
  /** 429 above this rate (default: no limit). Changeable later through `faults.rateLimit`. */
  rateLimit?: RateLimit;
  /** Answer `/ServiceProviderConfig` (default true); false → 404, as some servers do. */
  serviceProviderConfig?: boolean;
  /** How a group create/replace must list the extension URN in `schemas` (default "either"). */
  extensionSchemas?: ExtensionSchemasPolicy;
  /** Port to listen on (default: random). */
  port?: number;
  faultSeed?: number;
  /** Serve HTTPS with this server certificate and key (PEM) instead of plain HTTP. */
  tls?: { readonly cert: string; readonly key: string };
  /** Epoch milliseconds for the rate limit and the request log (default: the real clock); tests of pacing pass a virtual one. */
  now?: () => number;
}

export interface KlaxoonEmulator {
  /** The Tenant URL, e.g. `http://127.0.0.1:PORT/scim/v2`. */
  readonly url: string;
  readonly token: string;
  readonly store: KlaxoonStore;
  readonly faults: KlaxoonFaults;
  readonly requestLog: RequestLog;
  /** Every user going active → inactive (PATCH, PUT or DELETE), with its time; same as `store.deactivations`. */
  readonly deactivations: readonly Deactivation[];
  /** TCP connections accepted so far (proxy tests: each must be a proxy's tunnel). */
  connections(): number;
  /** Stops listening (the port refuses connections, as a dead Tenant URL does) until `resume`. */
  pause(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

const realNow = (): number => performance.timeOrigin + performance.now();

export async function startKlaxoonEmulator(options: KlaxoonEmulatorOptions = {}): Promise<KlaxoonEmulator> {
  declareKlaxoonResources();
  const token = options.token ?? `klx_${randomBytes(18).toString("base64url")}`;
  const basePath = options.basePath ?? "/scim/v2";
  const maxPageSize = options.maxPageSize ?? 100;
  const now = options.now ?? realNow;
  const store = new KlaxoonStore();
  const faults = new KlaxoonFaults(options.faultSeed);
  faults.rateLimit = options.rateLimit ?? null;
  const requestLog = new RequestLog();
  const contexts = new WeakMap<Request, EmulatorContext>();
  const contextOf = (req: Request): EmulatorContext => {
    let ctx = contexts.get(req);
    if (!ctx) {
      ctx = { store, faults, maxPageSize, now, filter: null, listStartIndex: null };
      contexts.set(req, ctx);
    }
    return ctx;
  };

  const app = express();
  app.disable("x-powered-by");
  const receivedBodies = new WeakMap<Request, unknown>();
  app.use(
    basePath,
    logAndInjectFaults(faults, requestLog, (req) => receivedBodies.get(req), now),
  );
  app.use(basePath, express.json({ type: ["application/scim+json", "application/json"], limit: "5mb" }));
  app.use(basePath, (req: Request, _res: Response, next: NextFunction) => {
    receivedBodies.set(req, req.body);
    next();
  });
  app.use(basePath, normaliseRequest(contextOf, options.extensionSchemas ?? "either"));
  app.use(basePath, fixListStartIndex(contextOf));
  app.use(basePath, requireToken(token), memberPatchFastPath(store));
  app.get(`${basePath}/ServiceProviderConfig`, (_req, res, next) => {
    if (options.serviceProviderConfig === false) return sendError(res, 404, null, "Endpoint Not Found");
    // SCIMMY's config is global: set this emulator's values just before SCIMMY reads them.
    SCIMMY.Config.set({
      patch: true,
      filter: maxPageSize,
      sort: false,
      bulk: false,
      etag: false,
      changePassword: false,
    });
    next();
  });
  app.use(
    basePath,
    new SCIMMYRouters({
      type: "bearer",
      handler: (req) => {
        if (req.header("authorization") !== `Bearer ${token}`) throw new Error("Invalid or missing bearer token");
        return "klaxoon-admin";
      },
      context: contextOf,
      baseUri: (req) => `${req.protocol}://${req.get("host") ?? "127.0.0.1"}`,
    }),
  );
  app.use((_req: Request, res: Response) => sendError(res, 404, null, "Endpoint Not Found"));

  const server: Server =
    options.tls === undefined ? createServer(app) : (createHttpsServer(options.tls, app) as unknown as Server);
  server.keepAliveTimeout = 30_000;
  let connections = 0;
  server.on(options.tls === undefined ? "connection" : "secureConnection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    url: `${options.tls === undefined ? "http" : "https"}://127.0.0.1:${port}${basePath}`,
    token,
    store,
    faults,
    requestLog,
    deactivations: store.deactivations,
    connections: () => connections,
    pause: () => closeServer(server),
    resume: () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve)),
    close: () => (closing ??= server.listening ? closeServer(server) : Promise.resolve()),
  };
}

/** The fast path answers before scimmy-routers' auth check, so it checks the token itself. */
function requireToken(token: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === "PATCH" && req.header("authorization") !== `Bearer ${token}`)
      return sendError(res, 401, null, "Invalid or missing bearer token");
    next();
  };
}

function logAndInjectFaults(
  faults: KlaxoonFaults,
  log: RequestLog,
  bodyOf: (req: Request) => unknown,
  now: () => number,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const at = now();
    const [path = "", query = ""] = req.url.split("?");
    res.on("finish", () =>
      log.record({ method: req.method, path, query, status: res.statusCode, at, body: bodyOf(req) }),
    );
    if (faults.throttle(at)) {
      const limit = faults.rateLimit;
      if (limit?.retryAfterSeconds !== undefined)
        res.setHeader(limit.retryAfterHeader ?? "Retry-After", String(limit.retryAfterSeconds));
      return sendError(res, 429, null, "Too many requests");
    }
    const action = faults.decide(req.method, path);
    if (action.latencyMs > 0) await sleep(action.latencyMs);
    if (action.kind === "reset") {
      log.record({ method: req.method, path, query, status: 0, at, body: undefined });
      req.socket.destroy();
      return;
    }
    if (action.kind === "status")
      return sendError(
        res,
        action.status,
        null,
        action.status === 401 ? "Invalid or missing bearer token" : "Injected server error",
      );
    if (action.kind === "malformed") {
      res
        .status(200)
        .type("application/scim+json")
        .send('{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":3,"Resources":[{"id":');
      return;
    }
    if (action.kind === "oversize") return sendOversized(res, action.bytes);
    if (action.kind === "drop") {
      res.end = (() => {
        log.record({ method: req.method, path, query, status: 0, at, body: bodyOf(req) });
        req.socket.destroy();
        return res;
      }) as unknown as Response["end"];
    }
    next();
  };
}

/** A syntactically valid ListResponse padded to `bytes`, streamed in 1 MiB chunks (never held whole). */
function sendOversized(res: Response, bytes: number): void {
  const head =
    '{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[],"padding":"';
  const tail = '"}';
  const chunk = "x".repeat(1024 * 1024);
  let remaining = Math.max(0, bytes - head.length - tail.length);
  res.status(200).type("application/scim+json");
  res.write(head);
  const pump = (): void => {
    while (remaining > 0) {
      const piece = remaining >= chunk.length ? chunk : chunk.slice(0, remaining);
      remaining -= piece.length;
      if (!res.write(piece)) {
        res.once("drain", pump);
        return;
      }
    }
    res.end(tail);
  };
  res.on("close", () => (remaining = 0));
  pump();
}

/** See klaxoon-schema.ts `page`: SCIMMY got a pre-sliced page starting at 1. */
function fixListStartIndex(contextOf: (req: Request) => EmulatorContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const start = contextOf(req).listStartIndex;
      if (start !== null && typeof body === "object" && body !== null && "startIndex" in body) {
        return send({ ...body, startIndex: start });
      }
      return send(body);
    };
    next();
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
