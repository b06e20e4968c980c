import type { Logger } from "../../log/index.js";
import type { CompiledMappingSet } from "../../mapping/index.js";
import { SyncError, type TargetGroup, type TargetUser } from "../../model/index.js";
import type { DesiredState } from "../desired-state.js";
import type { Fingerprints } from "./fingerprints.js";
import type { LookedUp, TargetLookup, TargetReader } from "../ports.js";
import {
  allWork,
  changedWork,
  keysOfMissing,
  lookupOf,
  withGroupsOf,
  workSize,
  type KindWork,
  type Work,
  type WorkInput,
} from "./select-objects.js";

export interface TargetRead {
  readonly users: TargetUser[];
  readonly groups: TargetGroup[];
  /** The work, widened by the groups of joining users (new or reactivated) on a changed-objects read. */
  readonly work: Work;
  /** Linked Klaxoon ids looked for and not found (deleted in Klaxoon): their links go. */
  readonly gone: { readonly users: ReadonlySet<string>; readonly groups: ReadonlySet<string> };
}

/** Everything Klaxoon holds. */
export interface TargetListing {
  readonly users: TargetUser[];
  readonly groups: TargetGroup[];
}

export interface TargetReadRequest {
  readonly userPaths: readonly string[];
  readonly groupPaths: readonly string[];
  /** False when no group mapping exists: groups are neither read nor planned. */
  readonly withGroups: boolean;
}

/** What to read of Klaxoon's objects: the paths the mappings write, and groups only when mapped. */
export function targetPaths(mappings: CompiledMappingSet): TargetReadRequest {
  return {
    userPaths: unique(["userName", "active", ...mappings.users.mappings.map((m) => m.target)]),
    groupPaths: unique(["displayName", ...mappings.groups.mappings.map((m) => m.target)]),
    withGroups: mappings.groups.mappings.length > 0,
  };
}

/**
 * What Klaxoon holds of this cycle's work. A delta cycle reads only the accounts of changed
 * objects; the periodic full read (and a delta with much changed) lists Klaxoon whole, which is
 * also where drift is found. Looking changed objects up uses filters; a server that refuses one
 * (Klaxoon filters on userName and work e-mail only, say, while a mapping matches on externalId)
 * gets a full listing instead, where matching happens here.
 */
export async function readTargets(
  reader: TargetReader,
  request: TargetReadRequest,
  input: {
    readonly work: WorkInput;
    readonly changesOnly: boolean;
    /** Klaxoon listed already (started beside the Graph read of a cycle known to read everything). */
    readonly listing?: Promise<TargetListing> | undefined;
  },
  log: Logger,
): Promise<TargetRead & { readonly changesOnly: boolean }> {
  const { listing } = input;
  const changed = input.changesOnly && !listing ? changedWork(input.work) : null;
  if (changed && workSize(changed) <= changedReadLimit(input.work.links)) {
    try {
      const { desired, fingerprints, stored } = input.work;
      const context = { desired, fingerprints, storedGroups: stored.groups };
      return { ...(await readChangedTargets(reader, request, changed, context)), changesOnly: true };
    } catch (error) {
      if (!(error instanceof SyncError) || error.code !== "KLAXOON_READ_REFUSED") throw error;
      log.info({ reason: error.message }, "Klaxoon refused a lookup of changed objects: listing everything instead");
    }
  }
  const listed = await (listing ?? listTargets(reader, request));
  return { ...withGone(listed, allWork(input.work), request.withGroups), changesOnly: false };
}

/**
 * A full reconciliation's read: every account and group Klaxoon holds, the two listings side by
 * side (each is a chain of pages, one after the previous page's answer).
 */
export async function listTargets(reader: TargetReader, request: TargetReadRequest): Promise<TargetListing> {
  const [users, groups] = await Promise.all([
    collect(reader.listUsers(request.userPaths)),
    request.withGroups ? collect(reader.listGroups(request.groupPaths)) : [],
  ]);
  return { users, groups };
}

/**
 * Above this many changed objects, one listing of Klaxoon costs less than reading each changed
 * object's account (a page holds hundreds): a tenth of the managed objects, at least 100.
 */
function changedReadLimit(links: WorkInput["links"]): number {
  return Math.max(100, Math.floor((Object.keys(links.users).length + Object.keys(links.groups).length) / 10));
}

/** A full reconciliation: linked ids the listing does not hold are gone. */
function withGone({ users, groups }: TargetListing, work: Work, withGroups: boolean): TargetRead {
  const gone = {
    users: missing([...work.users.links.values()], users),
    groups: withGroups ? missing([...work.groups.links.values()], groups) : new Set<string>(),
  };
  return { users, groups, work, gone };
}

/**
 * A delta cycle: only the accounts and groups of changed objects, by id or matching value,
 * after the probe: a quiet cycle proves Klaxoon is there and takes the token all the same.
 * A linked account not found by id is looked for by its matching values too, as a full read
 * would. Groups come after users, so the groups of joining users can be added.
 */
async function readChangedTargets(
  reader: TargetReader,
  request: TargetReadRequest,
  work: Work,
  context: {
    readonly desired: DesiredState;
    readonly fingerprints: Fingerprints;
    readonly storedGroups: Readonly<Record<string, string>>;
  },
): Promise<TargetRead> {
  await reader.probe();
  const users = await lookUpKind(work.users, (lookup) => reader.lookUpUsers(lookup, request.userPaths));
  const userWork = { ...work, users: users.work };
  const { desired, storedGroups, fingerprints } = context;
  const widened = request.withGroups
    ? withGroupsOf(userWork, joining(users.work, users.found), desired, storedGroups, fingerprints.groups)
    : userWork;
  const groups = request.withGroups
    ? await lookUpKind(widened.groups, (lookup) => reader.lookUpGroups(lookup, request.groupPaths))
    : null;
  return {
    users: users.found,
    groups: groups?.found ?? [],
    work: { ...widened, groups: groups?.work ?? widened.groups },
    gone: { users: users.gone, groups: groups?.gone ?? new Set() },
  };
}

interface KindLookup<T> {
  readonly found: T[];
  readonly gone: Set<string>;
  /** The kind's work less the objects whose accounts could not be read now (reserved instead). */
  readonly work: KindWork;
}

/**
 * By id first; an account not found by id (deleted in Klaxoon, or unreadable now) is looked for
 * by its matching values, as a full listing would find it. One still unreadable is left out of
 * this cycle's plan: never created again, never treated as gone.
 */
async function lookUpKind<T extends { readonly id: string }>(
  kind: KindWork,
  lookUp: (lookup: TargetLookup) => Promise<LookedUp<T>>,
): Promise<KindLookup<T>> {
  const first = await lookUp(lookupOf(kind));
  const foundIds = new Set(first.found.map((t) => t.id));
  const keys = keysOfMissing(kind, foundIds);
  const second = keys.length === 0 ? { found: [], unreadable: [] } : await lookUp({ ids: [], keys });
  const found = [...first.found, ...second.found.filter((t) => !foundIds.has(t.id))];
  const present = new Set(found.map((t) => t.id));
  const unreadable = new Set(first.unreadable.filter((id) => !present.has(id)));
  const gone = new Set([...kind.links.values()].filter((id) => !present.has(id) && !unreadable.has(id)));
  return { found, gone, work: unreadable.size === 0 ? kind : withoutUnreadable(kind, unreadable) };
}

function withoutUnreadable(kind: KindWork, unreadable: ReadonlySet<string>): KindWork {
  const links = new Map([...kind.links].filter(([, targetId]) => !unreadable.has(targetId)));
  const reserved = new Map(kind.reserved);
  for (const object of kind.desired) {
    const targetId = kind.links.get(object.resource.sourceId);
    const { sourceId, label } = object.resource;
    if (targetId !== undefined && unreadable.has(targetId)) reserved.set(sourceId, { sourceId, targetId, label });
  }
  return { ...kind, desired: kind.desired.filter((d) => !reserved.has(d.resource.sourceId)), links, reserved };
}

/**
 * Source ids of planned users that this cycle may make active members: not linked yet (to be
 * created or adopted) or held inactive by Klaxoon while Entra wants them active. Their groups
 * are planned with them, as a full reconciliation would, instead of one cycle later.
 */
function joining(users: KindWork, actual: readonly TargetUser[]): Set<string> {
  const inactive = new Set(actual.filter((u) => !u.active).map((u) => u.id));
  const ids = new Set<string>();
  for (const { resource } of users.desired) {
    const targetId = users.links.get(resource.sourceId);
    const newOrInactive = targetId === undefined || inactive.has(targetId);
    if (resource.attributes["active"] === true && newOrInactive) ids.add(resource.sourceId);
  }
  return ids;
}

function missing(ids: readonly string[], found: readonly { readonly id: string }[]): Set<string> {
  const present = new Set(found.map((f) => f.id));
  return new Set(ids.filter((id) => !present.has(id)));
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
