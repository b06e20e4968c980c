/**
 * Delta rounds for users and groups. Start from a selection (a full first round) or from a
 * stored deltaLink (changes since). Pages are followed until `@odata.deltaLink`; links are used
 * exactly as Graph wrote them. Users stream page by page; groups are merged across pages first,
 * because a large group's `members@delta` can span pages. An expired token throws
 * GraphReadError with kind "deltaExpired" (code GRAPH_DELTA_EXPIRED): start a full round.
 */
import type { GraphApi } from "../client/graph-api.js";
import { toAttributes } from "../read/build-objects.js";
import type { GraphLogger } from "../client/logger.js";
import { deltaObject, member } from "../client/wire-schemas.js";

export type DeltaStart =
  /** `fromNow`: no objects, only a deltaLink "from now" (`$deltatoken=latest`). */
  | { readonly kind: "users" | "groups"; readonly select: readonly string[]; readonly fromNow?: boolean }
  | { readonly deltaLink: string };

export interface DeltaChange {
  readonly id: string;
  /** null: created or updated; "changed": soft-deleted (restorable); "deleted": gone for good. */
  readonly removed: "changed" | "deleted" | null;
  /** The selected attributes present in this change (Graph may send only those that changed). */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Groups only, when `members` was selected: direct user members added and removed (and nested groups, when any changed). */
  readonly members?: MemberChanges;
}

export interface MemberChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly addedGroups?: readonly string[];
  readonly removedGroups?: readonly string[];
}

interface MemberSets {
  readonly added: Set<string>;
  readonly removed: Set<string>;
  readonly addedGroups: Set<string>;
  readonly removedGroups: Set<string>;
}

export interface DeltaRound {
  readonly changes: AsyncIterable<DeltaChange>;
  /** The link for the next round; known once `changes` has been read to the end. */
  deltaLink(): string;
}

export function readDeltaRound(api: GraphApi, start: DeltaStart, logger: GraphLogger): DeltaRound {
  const url =
    "deltaLink" in start
      ? start.deltaLink
      : `/${start.kind}/delta?$select=${[...new Set(["id", ...start.select])].join(",")}${start.fromNow === true ? "&$deltatoken=latest" : ""}`;
  const isGroups = "deltaLink" in start ? /\/groups\/delta/.test(start.deltaLink) : start.kind === "groups";
  let link: string | null = null;
  async function* changes(): AsyncGenerator<DeltaChange> {
    const groups = new Map<string, { change: DeltaChange; sets: MemberSets }>();
    for await (const page of api.deltaPages(url)) {
      for (const raw of page.value) {
        const parsed = deltaObject.safeParse(raw);
        if (!parsed.success) {
          logger.warn({ reason: parsed.error.issues[0]?.message }, "Skipping a malformed delta item");
          continue;
        }
        const { "@removed": removedMark, "members@delta": memberDelta, ...rest } = parsed.data;
        const change: DeltaChange = {
          id: parsed.data.id,
          removed: removedMark ? removedReason(removedMark.reason) : null,
          attributes: toAttributes(rest),
        };
        if (!isGroups) {
          yield change;
          continue;
        }
        const entry = groups.get(change.id) ?? {
          change,
          sets: {
            added: new Set<string>(),
            removed: new Set<string>(),
            addedGroups: new Set<string>(),
            removedGroups: new Set<string>(),
          },
        };
        entry.change = { ...change, attributes: { ...entry.change.attributes, ...change.attributes } };
        for (const rawMember of memberDelta ?? []) mergeMember(rawMember, entry.sets, logger, change.id);
        groups.set(change.id, entry);
      }
      if (page.deltaLink !== undefined) link = page.deltaLink;
    }
    for (const { change, sets } of groups.values()) {
      const members = memberChanges(sets);
      yield members ? { ...change, members } : change;
    }
  }
  return {
    changes: changes(),
    deltaLink: () => {
      if (link === null) throw new Error("deltaLink() is known only after every change has been read");
      return link;
    },
  };
}

function removedReason(reason: string | null | undefined): "changed" | "deleted" {
  return reason?.toLowerCase() === "changed" ? "changed" : "deleted";
}

/** Group member changes appear only when some happened, so user-only changes keep their plain shape. */
function memberChanges(sets: MemberSets): MemberChanges | null {
  if (sets.added.size + sets.removed.size + sets.addedGroups.size + sets.removedGroups.size === 0) return null;
  const groups =
    sets.addedGroups.size + sets.removedGroups.size > 0
      ? { addedGroups: [...sets.addedGroups], removedGroups: [...sets.removedGroups] }
      : {};
  return { added: [...sets.added], removed: [...sets.removed], ...groups };
}

/** Users, and nested groups (kept for `graph.nestedGroups` and transitive membership clauses). */
function mergeMember(raw: unknown, sets: MemberSets, logger: GraphLogger, groupId: string): void {
  const parsed = member.safeParse(raw);
  const type = parsed.success ? parsed.data["@odata.type"] : "malformed";
  if (!parsed.success || (type !== "#microsoft.graph.user" && type !== "#microsoft.graph.group")) {
    logger.debug({ groupId, memberType: type }, "Skipping a member change that is neither a user nor a group");
    return;
  }
  const [added, removed] =
    type === "#microsoft.graph.user" ? [sets.added, sets.removed] : [sets.addedGroups, sets.removedGroups];
  const id = parsed.data.id;
  if ("@removed" in parsed.data) {
    added.delete(id);
    removed.add(id);
  } else {
    removed.delete(id);
    added.add(id);
  }
}
