/**
 * The SCIM 2.0 client for Klaxoon: implements the cycle's TargetReader and apply's
 * TargetWriter. Reads and writes go over one request executor (one keep-alive undici Pool per
 * Tenant URL, the shared pacer for the target's rate limit, a concurrency limit, the retry
 * policy). Write failures come back as typed outcomes; reads throw (never a partial list).
 */
import type { TargetWriter } from "../apply/index.js";
import type { TargetReader } from "../cycle/index.js";
import type { TargetUser } from "../model/index.js";
import { createScimContext } from "./client-context.js";
import type { Clock } from "../model/index.js";
import { createExecutor, type ScimLogger } from "./http/execute-request.js";
import { RequestPacer } from "./http/pacer.js";
import { createTransport } from "./http/transport.js";
import { findUserByUserName } from "./read/find-user-by-user-name.js";
import { listKind } from "./read/list-kind.js";
import { lookUpKind } from "./read/look-up.js";
import { probe } from "./read/probe.js";
import type { ReadResult } from "./read/read-result.js";
import type { ServiceProviderInfo } from "./read/service-provider.js";
import type { ScimClientSettings } from "./settings.js";
import { createResource } from "./write/create-resource.js";
import { changeMembers, createGroup } from "./write/group-members.js";
import { patchAttributes } from "./write/patch-resource.js";

export interface ScimClient extends TargetReader, TargetWriter {
  /** `GET /Users?filter=userName eq "…"` (what Entra's Test Connection sends); null when absent. */
  findUserByUserName(userName: string, paths?: readonly string[]): Promise<ReadResult<TargetUser | null>>;
  /** Null when the server has no (readable) /ServiceProviderConfig. Read once, then cached. */
  readServiceProviderConfig(): Promise<ServiceProviderInfo | null>;
  /** The pacer's current rate (lower than configured after 429s, recovering). */
  readonly currentRequestsPerSecond: number;
  close(): Promise<void>;
}

/** What the client is given besides its settings: time, logs and request metrics. */
export interface ScimClientDeps {
  /** The pacer's and the retries' clock (the real one outside tests). */
  readonly clock: Clock;
  readonly logger?: ScimLogger | undefined;
  /** Told of every HTTP answer (or network failure), for request metrics. */
  readonly onResponse?: ((status: number | "error") => void) | undefined;
}

export function createScimClient(settings: ScimClientSettings, deps: ScimClientDeps): ScimClient {
  const transport = createTransport({
    tenantUrl: settings.tenantUrl,
    token: settings.token,
    connections: settings.concurrency,
    timeoutMs: settings.timeoutMs,
    connectTimeoutMs: settings.connectTimeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    connection: settings.connection,
  });
  const pacer = new RequestPacer(settings.requestsPerSecond, settings.rateHeadroom, deps.clock);
  const executor = createExecutor({
    transport,
    pacer,
    clock: deps.clock,
    concurrency: settings.concurrency,
    retry: {
      maxRetries: settings.maxRetries,
      baseDelayMs: settings.retryBaseDelayMs,
      maxDelayMs: settings.maxRetryDelayMs,
    },
    logger: deps.logger,
    onResponse: deps.onResponse,
  });
  const context = createScimContext(executor, settings, deps.logger);
  return {
    probe: () => probe(context),
    listUsers: (paths) => listKind(context, "user", paths),
    listGroups: (paths) => listKind(context, "group", paths),
    lookUpUsers: (lookup, paths) => lookUpKind(context, "user", lookup, paths),
    lookUpGroups: (lookup, paths) => lookUpKind(context, "group", lookup, paths),
    findUserByUserName: (userName, paths) => findUserByUserName(context, userName, paths),
    readServiceProviderConfig: () => context.readServiceProviderConfig(),
    createUser: (attributes) => createResource(context, "user", attributes),
    createGroup: (attributes, memberIds) => createGroup(context, attributes, memberIds),
    patchUser: (id, changes) => patchAttributes(context, "user", id, changes),
    patchGroup: (id, changes) => patchAttributes(context, "group", id, changes),
    changeMembers: (groupId, change) => changeMembers(context, groupId, change),
    get currentRequestsPerSecond() {
      return pacer.currentRps;
    },
    close: () => transport.close(),
  };
}
