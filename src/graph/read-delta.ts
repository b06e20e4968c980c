/**
 * Delta rounds for users and groups. Start from a selection (a full first round) or from a
 * stored deltaLink (changes since). Pages are followed until `@odata.deltaLink`; links are used
 * exactly as Graph wrote them. Users stream page by page; groups are merged across pages first,
 * because a large group's `members@delta` can span pages. An expired token throws
 * GraphReadError with kind "deltaExpired" (code GRAPH_DELTA_EXPIRED): start a full round.
 */
import type { GraphApi } from "./graph-api.js";
import { toAttributes } from "./build-objects.js";
import type { GraphLogger } from "./logger.js";
import { deltaObject, member } from "./wire-schemas.js";

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
  /** Groups only, when `members` was selected: direct user members added and removed. */
  readonly members?: { readonly added: readonly string[]; readonly removed: readonly string[] };
}

export interface DeltaRound {
  readonly changes: AsyncIterable<DeltaChange>;
  /** The link for the next round; known once `changes` has been read to the end. */
  deltaLink(): string;
}

export function readDelta(api: GraphApi, start: DeltaStart, logger: GraphLogger): DeltaRound {
  const url = "deltaLink" in start
    ? start.deltaLink
    : `/${start.kind}/delta?$select=${[...new Set(["id", ...start.select])].join(",")}${start.fromNow === true ? "&$deltatoken=latest" : ""}`;
  const isGroups = "deltaLink" in start ? /\/groups\/delta/.test(start.deltaLink) : start.kind === "groups";
  let link: string | null = null;
  async function* changes(): AsyncGenerator<DeltaChange> {
    const groups = new Map<string, { change: DeltaChange; added: Set<string>; removed: Set<string> }>();
    for await (const page of api.deltaPages(url)) {
      for (const raw of page.value) {
        const parsed = deltaObject.safeParse(raw);
        if (!parsed.success) {
          logger.warn({ reason: parsed.error.issues[0]?.message }, "Skipping a malformed delta item");
          continue;
        }
        const { "@removed": removedMark, "members@delta": memberDelta, ...rest } = parsed.data;
        const change: DeltaChange = { id: parsed.data.id, removed: removedMark ? removedReason(removedMark.reason) : null, attributes: toAttributes(rest) };
        if (!isGroups) {
          yield change;
          continue;
        }
        const entry = groups.get(change.id) ?? { change, added: new Set<string>(), removed: new Set<string>() };
        entry.change = { ...change, attributes: { ...entry.change.attributes, ...change.attributes } };
        for (const rawMember of memberDelta ?? []) mergeMember(rawMember, entry, logger, change.id);
        groups.set(change.id, entry);
      }
      if (page.deltaLink !== undefined) link = page.deltaLink;
    }
    for (const { change, added, removed } of groups.values()) {
      yield added.size + removed.size > 0 ? { ...change, members: { added: [...added], removed: [...removed] } } : change;
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

function mergeMember(raw: unknown, entry: { added: Set<string>; removed: Set<string> }, logger: GraphLogger, groupId: string): void {
  const parsed = member.safeParse(raw);
  if (!parsed.success || parsed.data["@odata.type"] !== "#microsoft.graph.user") {
    logger.debug({ groupId, memberType: parsed.success ? parsed.data["@odata.type"] : "malformed" }, "Skipping a non-user member change");
    return;
  }
  const id = parsed.data.id;
  if ("@removed" in parsed.data) {
    entry.added.delete(id);
    entry.removed.add(id);
  } else {
    entry.removed.delete(id);
    entry.added.add(id);
  }
}
