/**
 * The SCIM 2.0 client for Klaxoon: implements the cycle's TargetReader and apply's
 * TargetWriter over one keep-alive undici Pool per Tenant URL, a shared pacer (the target's
 * rate limit), a concurrency limit and the retry policy. Every write failure comes back as a
 * typed outcome, classified in classify.ts; reads throw (never a partial list).
 */
import type { PatchChange, TargetWriter, WriteOutcome } from "../apply/index.js";
import type { TargetReader } from "../cycle/index.js";
import type { FlatAttributes, ResourceKind, TargetGroup, TargetUser } from "../model/index.js";
import { buildCreateBody, UnsupportedPathError } from "./build-resource.js";
import type { Failure } from "./classify.js";
import { createExecutor, type Executed, type RequestExecutor, type ScimLogger } from "./execute-request.js";
import { eqFilter } from "./filter.js";
import { listResources } from "./list-resources.js";
import { RequestPacer } from "./pacer.js";
import { buildMemberAddBody, buildMemberRemoveBody, buildPatchBody, type PatchOpBody } from "./patch-body.js";
import { malformed } from "./read-errors.js";
import { resolveSettings, type ScimClientSettings } from "./settings.js";
import { fetchServiceProviderConfig, type ServiceProviderInfo } from "./service-provider.js";
import { toTargetGroup, toTargetUser } from "./to-target.js";
import { createTransport } from "./transport.js";
import { listResponseSchema, resourceSchema } from "./wire.js";

export interface ScimClient extends TargetReader, TargetWriter {
  /** `GET /Users?filter=userName eq "…"` (what Entra's Test Connection sends); null when absent. */
  findUserByUserName(userName: string, paths?: readonly string[]): Promise<WriteOutcome<TargetUser | null>>;
  /** Null when the server has no (readable) /ServiceProviderConfig. Read once, then cached. */
  readServiceProviderConfig(): Promise<ServiceProviderInfo | null>;
  /** The pacer's current rate (lower than configured after 429s, recovering). */
  readonly currentRequestsPerSecond: number;
  close(): Promise<void>;
}

const DEFAULT_USER_PATHS = ["userName", "externalId", "active"] as const;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

type Outcome<T> = WriteOutcome<T>;

export function createScimClient(input: ScimClientSettings, logger?: ScimLogger): ScimClient {
  const settings = resolveSettings(input);
  const transport = createTransport({
    tenantUrl: settings.tenantUrl,
    token: settings.token,
    connections: settings.concurrency,
    timeoutMs: settings.timeoutMs,
    connectTimeoutMs: settings.connectTimeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
  });
  const pacer = new RequestPacer(settings.requestsPerSecond, settings.rateHeadroom);
  const executor: RequestExecutor = createExecutor({
    transport,
    pacer,
    concurrency: settings.concurrency,
    retry: { maxRetries: settings.maxRetries, baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: settings.maxRetryDelayMs },
    logger,
    onResponse: input.onResponse,
  });
  const dialect = settings.patchDialect;
  let providerConfig: Promise<ServiceProviderInfo | null> | null = null;

  const readServiceProviderConfig = (): Promise<ServiceProviderInfo | null> => (providerConfig ??= fetchServiceProviderConfig(executor));

  async function pageSize(): Promise<number> {
    if (settings.pageSize !== null) return settings.pageSize;
    const config = await readServiceProviderConfig();
    return Math.min(MAX_PAGE_SIZE, config?.maxResults ?? DEFAULT_PAGE_SIZE);
  }

  async function* listUsers(paths: readonly string[]): AsyncIterable<TargetUser> {
    const seen = new Set<string>();
    for await (const item of listResources(executor, { path: "/Users", pageSize: await pageSize() })) {
      const user = toTargetUser(item, paths, "GET /Users");
      if (seen.has(user.id)) throw malformed("GET /Users", `user ${user.id} listed twice (paging ignored?)`);
      seen.add(user.id);
      yield user;
    }
  }

  async function* listGroups(paths: readonly string[]): AsyncIterable<TargetGroup> {
    const seen = new Set<string>();
    for await (const item of listResources(executor, { path: "/Groups", pageSize: await pageSize() })) {
      const group = toTargetGroup(item, paths, "GET /Groups");
      if (seen.has(group.id)) throw malformed("GET /Groups", `group ${group.id} listed twice (paging ignored?)`);
      seen.add(group.id);
      yield group;
    }
  }

  async function findUserByUserName(userName: string, paths: readonly string[] = DEFAULT_USER_PATHS): Promise<Outcome<TargetUser | null>> {
    const executed = await executor.run(
      { method: "GET", path: "/Users", query: { filter: eqFilter("userName", userName), startIndex: 1, count: 2 } },
      { onCollection: true, expectJson: true },
    );
    if (!executed.ok) return failed(executed.failure);
    try {
      const users = listedResources(executed.json, "GET /Users").map((item) => toTargetUser(item, paths, "GET /Users"));
      if (users.length > 1) return { ok: false, kind: "conflict", status: 200, message: `${users.length} users match userName` };
      return { ok: true, value: users[0] ?? null };
    } catch (error) {
      return { ok: false, kind: "fatal", status: 200, message: error instanceof Error ? error.message : "unexpected response" };
    }
  }

  async function create(kind: ResourceKind, attributes: FlatAttributes): Promise<Outcome<{ readonly id: string }>> {
    let body: Record<string, unknown>;
    try {
      body = buildCreateBody(kind, attributes, settings.extensionInSchemas);
    } catch (error) {
      return unsupported(error);
    }
    const path = kind === "user" ? "/Users" : "/Groups";
    const executed = await executor.run({ method: "POST", path, body }, { onCollection: true, expectJson: true });
    if (executed.ok) {
      const parsed = resourceSchema.safeParse(executed.json);
      if (parsed.success) return { ok: true, value: { id: parsed.data.id } };
      return { ok: false, kind: "fatal", status: executed.status, message: `POST ${path}: the response has no id` };
    }
    return recoverRetriedCreate(kind, attributes, executed);
  }

  /** A create retried after a timeout may have landed the first time: find it rather than report a conflict. */
  async function recoverRetriedCreate(kind: ResourceKind, attributes: FlatAttributes, executed: Extract<Executed, { ok: false }>): Promise<Outcome<{ readonly id: string }>> {
    const userName = attributes["userName"];
    if (kind !== "user" || executed.failure.kind !== "conflict" || !executed.retriedTransient || typeof userName !== "string") {
      return failed(executed.failure);
    }
    const found = await findUserByUserName(userName);
    if (found.ok && found.value) {
      logger?.warn({ userName }, "create retried after a transient failure had already succeeded; adopted the user");
      return { ok: true, value: { id: found.value.id } };
    }
    return failed(executed.failure);
  }

  async function patch(kind: ResourceKind, id: string, build: () => PatchOpBody): Promise<Outcome<undefined>> {
    let body: PatchOpBody;
    try {
      body = build();
    } catch (error) {
      return unsupported(error);
    }
    if (body.Operations.length === 0) return { ok: true, value: undefined };
    const path = `${kind === "user" ? "/Users" : "/Groups"}/${encodeURIComponent(id)}`;
    const executed = await executor.run({ method: "PATCH", path, body }, { onCollection: false, expectJson: false });
    return executed.ok ? { ok: true, value: undefined } : failed(executed.failure);
  }

  async function patchMembers(groupId: string, memberIds: readonly string[], build: (ids: readonly string[], d: typeof dialect) => PatchOpBody): Promise<Outcome<undefined>> {
    const unique = [...new Set(memberIds)];
    for (let start = 0; start < unique.length; start += settings.memberChunkSize) {
      const chunk = unique.slice(start, start + settings.memberChunkSize);
      const outcome = await patch("group", groupId, () => build(chunk, dialect));
      if (!outcome.ok) {
        return start === 0 ? outcome : { ...outcome, message: `${outcome.message} (after ${start} of ${unique.length} members were applied)` };
      }
    }
    return { ok: true, value: undefined };
  }

  return {
    listUsers,
    listGroups,
    findUserByUserName,
    readServiceProviderConfig,
    createUser: (attributes) => create("user", attributes),
    createGroup: (attributes) => create("group", attributes),
    patchUser: (id, changes: readonly PatchChange[]) => patch("user", id, () => buildPatchBody(changes, dialect)),
    patchGroup: (id, changes: readonly PatchChange[]) => patch("group", id, () => buildPatchBody(changes, dialect)),
    addMembers: (groupId, memberIds) => patchMembers(groupId, memberIds, buildMemberAddBody),
    removeMembers: (groupId, memberIds) => patchMembers(groupId, memberIds, buildMemberRemoveBody),
    get currentRequestsPerSecond() {
      return pacer.currentRps;
    },
    close: () => transport.close(),
  };
}

function listedResources(json: unknown, what: string): unknown[] {
  const page = listResponseSchema.safeParse(json);
  if (!page.success) throw malformed(what, "not a ListResponse");
  return page.data.Resources ?? [];
}

function failed(failure: Failure): { readonly ok: false } & Failure {
  return { ok: false, kind: failure.kind, status: failure.status, message: failure.message };
}

function unsupported(error: unknown): Outcome<never> {
  if (!(error instanceof UnsupportedPathError)) throw error;
  return { ok: false, kind: "invalid", status: null, message: error.message };
}
