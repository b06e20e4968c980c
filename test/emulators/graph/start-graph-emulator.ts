/**
 * Starts the Graph + Entra token endpoint emulator on https://127.0.0.1:<random port>, with a
 * server certificate from the shared test CA (see test-ca.ts for how processes trust it).
 */
import { X509Certificate, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";
import { generateTenant, type TenantData } from "../../fixtures/tenant.js";
import { GraphEmulatorAdmin, HTTP_ADMIN_OPERATIONS } from "./admin.js";
import { DeltaState } from "./delta.js";
import { FaultInjector } from "./faults.js";
import { IdentityState, LEAST_PRIVILEGE, type GraphPermission } from "./identity.js";
import type { PageLimits } from "./paging.js";
import { RequestLog } from "./request-log.js";
import { dispatch, type Emulated } from "./router.js";
import {
  defaultSettings,
  parseSoftDeleteMembership,
  parseSoftDeletedUserDelta,
  type SoftDeleteMembership,
  type SoftDeletedUserDelta,
} from "./settings.js";
import { TenantStore } from "./tenant-store.js";
import { ensureTestCa, type TestCa } from "./test-ca.js";
import type { EmuRequest } from "./wire.js";

export interface GraphEmulatorOptions {
  /** The directory to serve (default: a 50-user generated tenant, seed 1). */
  tenant?: TenantData;
  clientId?: string;
  clientSecret?: string;
  /** Application permissions granted to the client (default: the least-privilege three). */
  permissions?: readonly GraphPermission[];
  /** Largest page the emulator serves, whatever `$top` asks (to test paging on small tenants). */
  maxPageSize?: number;
  /** Whether groups delta reports soft-deleted users leaving their groups (default "reported"; see settings.ts). */
  softDeleteMembership?: SoftDeleteMembership;
  /** What a soft-deleted user's users/delta entry carries (default "idOnly"; see settings.ts). */
  softDeletedUserDelta?: SoftDeletedUserDelta;
  /** Seed for fault fractions. */
  faultSeed?: number;
  /** Enable `POST /_admin/{operation}` (for a child process or a demo). Default false. */
  httpAdmin?: boolean;
  ca?: TestCa;
  /** Warn when this process would not trust the CA (default true; the standalone server turns it off). */
  checkTrust?: boolean;
}

export interface ClientCertificate {
  /** PEM file holding the certificate and its (unencrypted) private key, as ClientCertificateCredential reads it. */
  readonly certificatePath: string;
  readonly certificatePem: string;
}

export interface GraphEmulator {
  /** Graph endpoint (`https://127.0.0.1:PORT`); the API is under `/v1.0`. */
  readonly url: string;
  /** Authority host for @azure/identity (same origin). */
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The Klaxoon app's appId and service principal object id. */
  readonly appId: string;
  readonly servicePrincipalId: string;
  readonly caCertPath: string;
  readonly caPem: string;
  readonly store: TenantStore;
  readonly admin: GraphEmulatorAdmin;
  readonly faults: FaultInjector;
  readonly requestLog: RequestLog;
  /** Access tokens the token endpoint has issued so far (security tests search outputs for them). */
  issuedAccessTokens(): string[];
  /** TCP connections accepted so far (proxy tests: each must be a proxy's tunnel). */
  connections(): number;
  /** Registers a new RSA certificate for the client and writes it (with its key) to a temp file. */
  createClientCertificate(clientId?: string): Promise<ClientCertificate>;
  /** Writes a federated token file (as AKS projects one) accepted for the client. */
  createFederatedTokenFile(clientId?: string, subject?: string): string;
  close(): Promise<void>;
}

export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const ca = options.ca ?? (await ensureTestCa());
  if (options.checkTrust ?? true) warnIfUntrusted(ca);
  const data = options.tenant ?? generateTenant({ seed: 1, users: 50 });
  const defaults = defaultSettings();
  const store = new TenantStore(data, {
    softDeleteMembership: parseSoftDeleteMembership(options.softDeleteMembership ?? defaults.softDeleteMembership),
    softDeletedUserDelta: parseSoftDeletedUserDelta(options.softDeletedUserDelta ?? defaults.softDeletedUserDelta),
  });
  const identity = new IdentityState();
  const clientId = options.clientId ?? randomUUID();
  const clientSecret = options.clientSecret ?? `emu~${randomBytes(18).toString("base64url")}`;
  identity.register(clientId, { secret: clientSecret, permissions: options.permissions ?? LEAST_PRIVILEGE });
  const cap = options.maxPageSize ?? Number.MAX_SAFE_INTEGER;
  const limits = (defaultTop: number, maxTop: number): PageLimits => ({ defaultTop, maxTop, cap });
  const delta = new DeltaState();
  const emu: Emulated = {
    store,
    identity,
    delta,
    faults: new FaultInjector(options.faultSeed),
    log: new RequestLog(),
    limits: {
      users: limits(100, 999),
      groups: limits(100, 999),
      members: limits(100, 999),
      assignments: limits(100, 999),
    },
  };
  const admin = new GraphEmulatorAdmin(store, identity, delta);
  const server = createServer({ cert: ca.serverCertPem, key: ca.serverKeyPem }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", origin);
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(request.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      const req: EmuRequest = {
        method: request.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
        inner: false,
        origin,
      };
      const handled =
        options.httpAdmin && req.path.startsWith("/_admin/")
          ? Promise.resolve(runAdmin(admin, req))
          : dispatch(emu, req);
      handled.then(
        (answer) => {
          response.writeHead(answer.status, answer.headers);
          response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
        },
        (error: unknown) => {
          response.writeHead(500, { "Content-Type": "application/json" });
          response.end(JSON.stringify({ error: { code: "EmulatorBug", message: String(error) } }));
        },
      );
    });
  });
  let connections = 0;
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    authorityHost: origin,
    tenantId: store.tenantId,
    clientId,
    clientSecret,
    appId: data.app.appId,
    servicePrincipalId: data.app.id,
    caCertPath: ca.caCertPath,
    caPem: ca.caPem,
    store,
    admin,
    faults: emu.faults,
    requestLog: emu.log,
    issuedAccessTokens: () => [...identity.tokens.keys()],
    connections: () => connections,
    createClientCertificate: (forClient = clientId) => createClientCertificate(identity, forClient),
    createFederatedTokenFile: (forClient = clientId, subject = "system:serviceaccount:klaxoon:sync") => {
      admin.addFederatedSubject(forClient, subject);
      const path = join(mkdtempSync(join(tmpdir(), "graph-emu-federated-")), "token");
      writeFileSync(path, identity.issueFederatedToken(`${origin}/oidc`, subject));
      return path;
    },
    close: () => closeServer(server),
  };
}

async function createClientCertificate(identity: IdentityState, clientId: string): Promise<ClientCertificate> {
  const pems = await generate([{ name: "commonName", value: `graph-emulator-client-${clientId}` }], {
    keyType: "rsa",
    keySize: 2048,
    algorithm: "sha256",
  });
  identity.register(clientId).certificates.push(new X509Certificate(pems.cert));
  const certificatePath = join(mkdtempSync(join(tmpdir(), "graph-emu-cert-")), "client.pem");
  writeFileSync(certificatePath, `${pems.private}\n${pems.cert}`);
  return { certificatePath, certificatePem: pems.cert };
}

function runAdmin(admin: GraphEmulatorAdmin, req: EmuRequest) {
  const name = req.path.slice("/_admin/".length);
  const op = HTTP_ADMIN_OPERATIONS.find((candidate) => candidate === name);
  if (!op || req.method !== "POST")
    return { status: 404, headers: {}, body: { error: `unknown admin operation ${name}` } };
  try {
    const args: unknown = req.body === "" ? [] : JSON.parse(req.body);
    const fn = admin[op] as (...a: unknown[]) => unknown;
    const result = fn.apply(admin, Array.isArray(args) ? args : [args]);
    return { status: 200, headers: { "Content-Type": "application/json" }, body: { result: result ?? null } };
  } catch (error) {
    return { status: 400, headers: { "Content-Type": "application/json" }, body: { error: String(error) } };
  }
}

let warned = false;

/** Clients in this process trust the emulator only if Node started with NODE_EXTRA_CA_CERTS set to the CA. */
function warnIfUntrusted(ca: TestCa): void {
  if (warned || process.env.NODE_EXTRA_CA_CERTS === ca.caCertPath) return;
  warned = true;
  process.emitWarning(
    `Graph emulator: NODE_EXTRA_CA_CERTS is not ${ca.caCertPath}; HTTPS clients in this process will not trust the emulator. ` +
      "Start the process with NODE_EXTRA_CA_CERTS set (vitest: globalSetup test/setup/graph-test-ca.ts and test.env).",
  );
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
