/**
 * The Graph implementation of the cycle's IncrementalDirectoryReader. A full read (no usable
 * checkpoint, a forced or periodic full read, an expired or rejected delta token) first takes
 * delta links "from now", then reads everything: changes made meanwhile are seen again by the
 * next round, harmlessly. Later reads merge delta rounds into the checkpoint. Either way the
 * result is complete or the read throws: never a partial snapshot. The caller saves the new
 * checkpoint only once the cycle that used it has applied.
 */
import type { TokenCredential } from "@azure/identity";
import type {
  IncrementalDirectoryReader,
  IncrementalRead,
  IncrementalReadRequest,
  SnapshotRequest,
} from "../cycle/index.js";
import { GraphReadError } from "./client/graph-errors.js";
import {
  decodeCheckpoint,
  encodeCheckpoint,
  selectKeyOf,
  userFieldsOf,
  type DirectoryState,
} from "./delta/checkpoint.js";
import { type Clock, LANE_NEEDS_DELTA, SyncError } from "../model/index.js";
import type { GraphLogger } from "./client/logger.js";
import { readDeltaRound } from "./delta/delta-round.js";
import { checkQuiet, DeltaReadAhead, quietBasisOf } from "./delta/quiet-check.js";
import { readSinceCheckpoint } from "./delta/read-since-checkpoint.js";
import { createReadContext, type GraphReadContext } from "./read/read-context.js";
import { selectsFor } from "./read/select-lists.js";
import { fulfilled } from "./read/settled.js";
import { readFull } from "./snapshot/read-full.js";
import type { GraphSettings } from "./settings.js";

interface Expected {
  readonly selectKey: string;
  readonly userFields: readonly string[];
}

type Decision =
  | { readonly mode: "delta"; readonly state: DirectoryState }
  | { readonly mode: "full"; readonly reason: string | null };

export function createIncrementalDirectoryReader(
  settings: GraphSettings,
  credential: TokenCredential,
  logger: GraphLogger,
  clock: Clock,
): IncrementalDirectoryReader {
  const context = createReadContext(settings, credential, logger, clock);
  // The clock for the periodic full read too (tests pass a later date).
  const now = (): Date => clock.now();
  const intervalMs = settings.fullReadIntervalHours * 3_600_000;
  const endpoint = settings.endpoint;
  const expectedFor = (request: SnapshotRequest): Expected => {
    const select = selectsFor(request);
    return {
      selectKey: selectKeyOf({
        endpoint,
        app: request.app,
        scope: request.scope,
        userSelect: select.users,
        groupSelect: select.groups,
        membership: membershipKey(context),
      }),
      userFields: userFieldsOf(select.users),
    };
  };
  return {
    async checkQuiet(request, basis) {
      // Nested groups and membership clauses read member lists outside the delta rounds.
      if (membershipKey(context) !== undefined)
        return { unchanged: false, reason: "group memberships are expanded", readAhead: null };
      await context.checkCredential();
      const { api, options } = context;
      try {
        return await checkQuiet(
          {
            api,
            app: request.app,
            pageSize: options.pageSize,
            logger: options.logger,
            selectKey: expectedFor(request).selectKey,
            fullReadDue: (fullReadAt) => fullReadDue(fullReadAt, now(), intervalMs),
          },
          basis,
        );
      } catch (error) {
        if (!(error instanceof GraphReadError && error.kind === "deltaExpired")) throw error;
        return { unchanged: false, reason: "a delta token was expired or rejected", readAhead: null };
      }
    },
    async read(request) {
      await context.checkCredential();
      const expected = expectedFor(request);
      const decision = decide(request, expected, now(), intervalMs);
      if (decision.mode === "full") {
        if (request.lane) throw laneNeedsDelta(decision.reason ?? "there is no checkpoint yet");
        return fullRead(context, request, expected, now(), decision.reason);
      }
      try {
        const ahead = request.readAhead instanceof DeltaReadAhead ? request.readAhead : null;
        const merged = await readSinceCheckpoint(context, request, decision.state, ahead);
        if (!merged.ok) {
          if (request.lane) throw laneNeedsDelta(merged.reason);
          return await fullRead(context, request, expected, now(), merged.reason);
        }
        return {
          snapshot: merged.snapshot,
          checkpoint: encodeCheckpoint(merged.state),
          mode: "delta",
          fullReadReason: null,
          quietBasis: quietBasisOf(merged.state),
        };
      } catch (error) {
        if (!(error instanceof GraphReadError && error.kind === "deltaExpired")) throw error;
        const where = { resource: error.resource, status: error.status, graphCode: error.graphCode };
        logger.warn(where, "Delta token expired or rejected: reading the directory in full");
        const reason = `the delta token was expired or rejected (${error.graphCode ?? `HTTP ${error.status ?? "?"}`})`;
        if (request.lane) throw laneNeedsDelta(reason);
        return await fullRead(context, request, expected, now(), reason);
      }
    },
  };
}

/** Undefined (absent from the key, so older checkpoints stay valid) unless nested groups or membership clauses are used. */
function membershipKey(context: GraphReadContext): unknown {
  const { expand, maxDepth, referenced } = context.options.membership;
  if (!expand && referenced.length === 0) return undefined;
  return { expand, maxDepth, referenced: [...referenced].map((r) => `${r.groupId}:${r.transitive}`).sort() };
}

/** The leaver lane never reads in full (minutes at 100,000 users, every 2 minutes): it waits for the next regular cycle. */
function laneNeedsDelta(reason: string): SyncError {
  return new SyncError(LANE_NEEDS_DELTA, `the leaver lane needs a delta round and cannot have one: ${reason}`);
}

function decide(request: IncrementalReadRequest, expected: Expected, now: Date, intervalMs: number): Decision {
  if (request.checkpoint === null) return { mode: "full", reason: null };
  if (request.forceFull) return { mode: "full", reason: "a full read was requested" };
  const decoded = decodeCheckpoint(request.checkpoint, expected);
  if (!decoded.ok) return { mode: "full", reason: decoded.reason };
  // The periodic full read is the regular cycles' business.
  if (request.lane) return { mode: "delta", state: decoded.state };
  if (fullReadDue(decoded.state.fullReadAt, now, intervalMs))
    return { mode: "full", reason: `periodic full read (the last one was at ${decoded.state.fullReadAt})` };
  return { mode: "delta", state: decoded.state };
}

/** Past the interval since the last full read, or a clock that went back before it. */
function fullReadDue(fullReadAt: string, now: Date, intervalMs: number): boolean {
  const age = now.getTime() - Date.parse(fullReadAt);
  return age < 0 || age >= intervalMs;
}

async function fullRead(
  context: GraphReadContext,
  request: SnapshotRequest,
  expected: Expected,
  now: Date,
  reason: string | null,
): Promise<IncrementalRead> {
  if (reason !== null) context.options.logger.info({ reason }, "Reading the directory in full");
  const select = selectsFor(request);
  const [users, groups] = await Promise.allSettled([
    latestLink(context, "users", select.users),
    latestLink(context, "groups", `${select.groups},members`),
  ]);
  const deltaLinks = { users: fulfilled(users), groups: fulfilled(groups) };
  const full = await readFull(context, request);
  const state: DirectoryState = {
    selectKey: expected.selectKey,
    fullReadAt: now.toISOString(),
    deltaLinks,
    servicePrincipal: full.snapshot.servicePrincipal,
    userFields: expected.userFields,
    // Shared with the snapshot, not copied: this state is only encoded, never merged into.
    users: new Map(
      [...full.snapshot.users].map(([id, u]) => [id, { attributes: u.attributes, softDeleted: u.softDeleted }]),
    ),
    groups: new Map(full.groups.map((g) => [g.id, g])),
    missingUserIds: new Set(full.missingUserIds),
    extraGroups: new Map(full.extraGroups),
    assignments: full.assignments,
  };
  return {
    snapshot: full.snapshot,
    checkpoint: encodeCheckpoint(state),
    mode: "full",
    fullReadReason: reason,
    quietBasis: quietBasisOf(state),
  };
}

/** A delta link "from now" (`$deltatoken=latest`): no objects, only the link. */
async function latestLink(context: GraphReadContext, kind: "users" | "groups", select: string): Promise<string> {
  const round = readDeltaRound(context.api, { kind, select: select.split(","), fromNow: true }, context.options.logger);
  for await (const change of round.changes) void change;
  return round.deltaLink();
}
