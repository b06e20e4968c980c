/**
 * The SCIM 2.0 client for Klaxoon: implements the cycle's TargetReader and apply's
 * TargetWriter over one keep-alive undici Pool per Tenant URL, a shared pacer (the target's
 * rate limit), a concurrency limit and the retry policy. Every write failure comes back as a
 * typed outcome, classified in classify.ts; reads throw (never a partial list).
 */
import type { CreatedGroup, MemberChange, PatchChange, TargetWriter, WriteOutcome } from "../apply/index.js";
import type { LookedUp, TargetLookup, TargetReader } from "../cycle/index.js";
import type { FlatAttributes, ResourceKind, TargetGroup, TargetUser } from "../model/index.js";
import { randomUUID } from "node:crypto";
import { FatalError, SyncError } from "../model/index.js";
import { buildCreateBody, UnsupportedPathError } from "./build-resource.js";
import { connectionVerdict } from "./connection-check.js";
import type { Failure } from "./classify.js";
import { createExecutor, type Executed, type RequestExecutor, type ScimLogger } from "./execute-request.js";
import { eqFilter } from "./filter.js";
import { listResources } from "./list-resources.js";
import { RequestPacer } from "./pacer.js";
import { buildMemberChangeBody, buildPatchBody, chunkMemberChange, type PatchOpBody } from "./patch-body.js";
import { malformed, readError } from "./read-errors.js";
import { resolveSettings, type ScimClientSettings } from "./settings.js";
import { fetchServiceProviderConfig, type ServiceProviderInfo } from "./service-provider.js";
import { storedEcho } from "./stored-echo.js";
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
    for await (const item of listResources(executor, { path: "/Users", pageSize: await pageSize(), parallelPages: settings.concurrency })) {
      const user = toTargetUser(item, paths, "GET /Users");
      if (seen.has(user.id)) throw malformed("GET /Users", `user ${user.id} listed twice (paging ignored?)`);
      seen.add(user.id);
      yield user;
    }
  }

  async function* listGroups(paths: readonly string[]): AsyncIterable<TargetGroup> {
    const seen = new Set<string>();
    for await (const item of listResources(executor, { path: "/Groups", pageSize: await pageSize(), parallelPages: settings.concurrency })) {
      const group = toTargetGroup(item, paths, "GET /Groups");
      if (seen.has(group.id)) throw malformed("GET /Groups", `group ${group.id} listed twice (paging ignored?)`);
      seen.add(group.id);
      yield group;
    }
  }

  /** By id (a 404 means the object is gone), then by each matching value; every answer once. */
  async function lookUp<T extends { readonly id: string }>(
    path: "/Users" | "/Groups",
    lookup: TargetLookup,
    convert: (item: unknown, what: string) => T,
  ): Promise<LookedUp<T>> {
    const unreadable: string[] = [];
    const byId = lookup.ids.map(async (id): Promise<T[]> => {
      const what = `GET ${path}/${id}`;
      const executed = await executor.run({ method: "GET", path: `${path}/${encodeURIComponent(id)}` }, { onCollection: false, expectJson: true });
      if (!executed.ok && executed.failure.status === 404) return [];
      if (!executed.ok && executed.failure.kind === "pending") {
        unreadable.push(id);
        return [];
      }
      if (!executed.ok) throw readError(executed.failure, what);
      return [convert(executed.json, what)];
    });
    const byKey = lookup.keys.map(async (key): Promise<T[]> => {
      const what = `GET ${path}?filter=${key.path} eq …`;
      const found: T[] = [];
      for await (const item of listResources(executor, { path, pageSize: await pageSize(), filter: eqFilter(key.path, key.value) })) found.push(convert(item, what));
      return found;
    });
    const unique = new Map<string, T>();
    for (const list of await Promise.all([...byId, ...byKey])) for (const item of list) unique.set(item.id, item);
    return { found: [...unique.values()], unreadable };
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

  async function probe(): Promise<void> {
    const verdict = connectionVerdict(await findUserByUserName(randomUUID()));
    if (verdict.ok) return;
    const message = `Klaxoon ${settings.tenantUrl} did not answer as it must: ${verdict.reason}`;
    throw verdict.code === "KLAXOON_UNREACHABLE" ? new SyncError(verdict.code, message) : new FatalError(verdict.code, message);
  }

  async function create(kind: ResourceKind, attributes: FlatAttributes, memberIds: readonly string[] = []): Promise<Outcome<{ readonly id: string }>> {
    let body: Record<string, unknown>;
    try {
      body = buildCreateBody(kind, attributes, settings.extensionInSchemas);
    } catch (error) {
      return unsupported(error);
    }
    if (memberIds.length > 0) body["members"] = memberIds.map((value) => ({ value }));
    const path = kind === "user" ? "/Users" : "/Groups";
    const request = { method: "POST", path, body } as const;
    const options = { onCollection: true, expectJson: true } as const;
    let executed = await executor.run(request, { ...options, retryTransient: false });
    // A lost answer (reset, timeout, 5xx) may hide a create that landed: look before sending
    // it again, or a group (whose name Klaxoon need not keep unique) would be made twice.
    if (!executed.ok && executed.failure.kind === "transient") {
      const landed = await findLanded(kind, attributes);
      if (landed) return { ok: true, value: { id: landed } };
      executed = await executor.run(request, options);
      executed = executed.ok ? executed : { ...executed, retriedTransient: true };
    }
    if (executed.ok) {
      const parsed = resourceSchema.safeParse(executed.json);
      if (parsed.success) return { ok: true, value: { id: parsed.data.id }, stored: storedEcho(kind, executed.json, attributes) };
      return { ok: false, kind: "fatal", status: executed.status, message: `POST ${path}: the response has no id` };
    }
    // Sent again after a transient failure and now a uniqueness conflict: the first one landed.
    if (executed.failure.kind === "conflict" && executed.retriedTransient) {
      const landed = await findLanded(kind, attributes);
      if (landed) return { ok: true, value: { id: landed } };
    }
    return failed(executed.failure);
  }

  /** The id of the one resource holding this create's userName (users) or displayName (groups). */
  async function findLanded(kind: ResourceKind, attributes: FlatAttributes): Promise<string | null> {
    const key = kind === "user" ? "userName" : "displayName";
    const value = attributes[key];
    if (typeof value !== "string") return null;
    const path = kind === "user" ? "/Users" : "/Groups";
    const executed = await executor.run(
      { method: "GET", path, query: { filter: eqFilter(key, value), startIndex: 1, count: 2, ...(kind === "group" ? { excludedAttributes: "members" } : {}) } },
      { onCollection: true, expectJson: true },
    );
    if (!executed.ok) return null;
    const page = listResponseSchema.safeParse(executed.json);
    const found = (page.success ? (page.data.Resources ?? []) : []).map((item) => resourceSchema.safeParse(item));
    if (found.length !== 1 || !found[0]?.success) return null;
    logger?.warn({ kind, [key]: value }, "a create whose answer was lost had landed: adopted it instead of sending it again");
    return found[0].data.id;
  }

  /** `sent`: the attributes the PATCH sets (null for a removal), to read back from its answer; none for member changes. */
  async function patch(kind: ResourceKind, id: string, build: () => PatchOpBody, sent: FlatAttributes = {}): Promise<Outcome<undefined>> {
    let body: PatchOpBody;
    try {
      body = build();
    } catch (error) {
      return unsupported(error);
    }
    if (body.Operations.length === 0) return { ok: true, value: undefined };
    const path = `${kind === "user" ? "/Users" : "/Groups"}/${encodeURIComponent(id)}`;
    const executed = await executor.run({ method: "PATCH", path, body }, { onCollection: false, expectJson: false });
    return executed.ok ? { ok: true, value: undefined, stored: storedEcho(kind, executed.json, sent) } : failed(executed.failure);
  }

  async function changeMembers(groupId: string, change: MemberChange): Promise<Outcome<undefined>> {
    const unique = { add: [...new Set(change.add)], remove: [...new Set(change.remove)] };
    const chunks = chunkMemberChange(unique, settings.memberChunkSize);
    let applied = 0;
    for (const chunk of chunks) {
      const outcome = await patch("group", groupId, () => buildMemberChangeBody(chunk, dialect));
      if (!outcome.ok) {
        const total = unique.add.length + unique.remove.length;
        return applied === 0 ? outcome : { ...outcome, message: `${outcome.message} (after ${applied} of ${total} member changes were applied)` };
      }
      applied += chunk.add.length + chunk.remove.length;
    }
    return { ok: true, value: undefined };
  }

  /** The first chunk of members rides in the POST; the rest follow as member PATCHes. */
  async function createGroup(attributes: FlatAttributes, memberIds: readonly string[]): Promise<Outcome<CreatedGroup>> {
    const unique = [...new Set(memberIds)];
    const inPost = unique.slice(0, settings.memberChunkSize);
    const created = await create("group", attributes, inPost);
    if (!created.ok) return created;
    const rest = unique.slice(inPost.length);
    const members = rest.length === 0 ? ({ ok: true, value: undefined } as const) : await changeMembers(created.value.id, { add: rest, remove: [] });
    return { ok: true, value: { id: created.value.id, members }, stored: created.stored };
  }

  return {
    probe,
    listUsers,
    listGroups,
    lookUpUsers: (lookup, paths) => lookUp("/Users", lookup, (item, what) => toTargetUser(item, paths, what)),
    lookUpGroups: (lookup, paths) => lookUp("/Groups", lookup, (item, what) => toTargetGroup(item, paths, what)),
    findUserByUserName,
    readServiceProviderConfig,
    createUser: (attributes) => create("user", attributes),
    createGroup,
    patchUser: (id, changes: readonly PatchChange[]) => patch("user", id, () => buildPatchBody(changes, dialect), sentBy(changes)),
    patchGroup: (id, changes: readonly PatchChange[]) => patch("group", id, () => buildPatchBody(changes, dialect), sentBy(changes)),
    changeMembers,
    get currentRequestsPerSecond() {
      return pacer.currentRps;
    },
    close: () => transport.close(),
  };
}

function sentBy(changes: readonly PatchChange[]): FlatAttributes {
  return Object.fromEntries(changes.map((change) => [change.path, change.op === "remove" ? null : change.value]));
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
