/**
 * A third-party SCIM 2.0 server nobody here wrote: Better Auth with its SCIM plugin
 * (`@better-auth/scim`), on 127.0.0.1 over an in-memory database, used as it comes. Our only
 * additions are outside the server: a static bearer connection (the plugin's documented way
 * to authenticate a provisioning client) and a log of the requests it answered.
 * It serves Users and Groups with direct members, but no custom extension schema: Klaxoon's
 * group license extension (`urn:…:klaxoon:2.0:Group:license`) has no counterpart here.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { scim } from "@better-auth/scim";
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { getAuthTables } from "better-auth/db";
import { toNodeHandler } from "better-auth/node";

export interface AnsweredRequest {
  readonly method: string;
  /** Path below the Tenant URL, without the query (`/Users/abc`). */
  readonly path: string;
  readonly status: number;
}

export interface BetterAuthScimServer {
  /** The Tenant URL: `http://127.0.0.1:PORT/api/auth/scim/v2`. */
  readonly url: string;
  readonly token: string;
  readonly requests: AnsweredRequest[];
  close(): Promise<void>;
}

const SCIM_BASE = "/api/auth/scim/v2";

export async function startBetterAuthScimServer(): Promise<BetterAuthScimServer> {
  const token = `ba_${randomBytes(18).toString("base64url")}`;
  const requests: AnsweredRequest[] = [];
  let handle: ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | null = null;
  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0] ?? "";
    response.on("finish", () => {
      if (path.startsWith(SCIM_BASE))
        requests.push({
          method: request.method ?? "",
          path: path.slice(SCIM_BASE.length),
          status: response.statusCode,
        });
    });
    if (!handle) {
      response.statusCode = 503;
      response.end();
      return;
    }
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const plugins = [
    scim({ connections: [{ id: "entra-klaxoon-sync", credentials: [{ type: "bearer", id: "interop", token }] }] }),
  ];
  // The memory adapter wants one array per table; the schema says which tables there are.
  const db: Record<string, Record<string, unknown>[]> = {};
  for (const table of Object.values(getAuthTables({ plugins }))) db[table.modelName] = [];
  const auth = betterAuth({
    baseURL: origin,
    secret: randomBytes(32).toString("hex"),
    database: memoryAdapter(db),
    plugins,
    telemetry: { enabled: false },
    logger: { level: "error" },
  });
  handle = toNodeHandler(auth);

  return {
    url: `${origin}${SCIM_BASE}`,
    token,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
