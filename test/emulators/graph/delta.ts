/**
 * `/users/delta` and `/groups/delta`: a first round pages every object and ends with an
 * `@odata.deltaLink`; later rounds return the objects changed since, `@removed` for deleted ones
 * (`changed` = soft-deleted, `deleted` = gone) and `members@delta` for member changes. The state
 * (selection, position) lives in the opaque token, as in Graph; `expire()` makes every token
 * issued so far answer 410 `syncStateNotFound`.
 *
 * Removed objects, per concepts/delta-query-users.md and delta-query-groups.md: a deleted user is
 * `changed`, a permanently deleted one `deleted`; a deleted Microsoft 365 group is `changed`, a
 * deleted security group (always permanent) `deleted`; a restored object comes back without
 * annotation. What else a soft-deleted user's entry carries is the `softDeletedUserDelta` setting.
 */
import type { RouteContext } from "./directory-routes.js";
import {
  GROUP_PROPERTIES,
  USER_PROPERTIES,
  parseSelect,
  projectGroup,
  projectUser,
  unknownProperty,
} from "./project.js";
import type { ObjectKind } from "./tenant-store.js";
import { graphError, json, type EmuRequest, type EmuResponse } from "./wire.js";

export class DeltaState {
  epoch = 1;

  /** Invalidate every delta and skip token issued so far (as if they were more than 7 days old). */
  expire(): void {
    this.epoch += 1;
  }
}

interface Token {
  e: number;
  /** Changes after this sequence number (0 = a first, full round). */
  from: number;
  /** Sequence number the round ends at (the next deltaLink starts there). */
  to: number;
  o: number;
  s: string[] | null;
  full: boolean;
}

type Kind = "users" | "groups";

export function handleDelta(req: EmuRequest, ctx: RouteContext, state: DeltaState, kind: Kind): EmuResponse {
  const deltaToken = req.query.get("$deltatoken");
  const skipToken = req.query.get("$skiptoken");
  let token: Token;
  if (deltaToken === "latest") {
    return finish(req, kind, [], {
      e: state.epoch,
      from: ctx.store.seq,
      to: ctx.store.seq,
      o: 0,
      s: parseSelect(req.query) as string[] | null,
      full: false,
    });
  } else if (deltaToken !== null || skipToken !== null) {
    const decoded = decode(deltaToken ?? skipToken ?? "");
    if (!decoded || decoded.e !== state.epoch) {
      return graphError(
        410,
        "syncStateNotFound",
        "The delta token is expired or invalid; start a new full synchronization round.",
        {
          Location: `${req.origin}${req.path}`,
        },
      );
    }
    token = deltaToken !== null ? { ...decoded, from: decoded.to, to: ctx.store.seq, o: 0, full: false } : decoded;
  } else {
    const select = parseSelect(req.query);
    const unknown =
      kind === "users"
        ? unknownProperty(select, USER_PROPERTIES)
        : unknownProperty(select?.filter((s) => s !== "members") ?? null, GROUP_PROPERTIES);
    if (unknown) return graphError(400, "Request_BadRequest", `Could not find a property named '${unknown}'.`);
    token = { e: state.epoch, from: 0, to: ctx.store.seq, o: 0, s: select === null ? null : [...select], full: true };
  }
  const all = token.full ? fullRound(ctx, kind, token.s) : changesSince(ctx, kind, token);
  const size = Math.min(
    kind === "users" ? ctx.limits.users.defaultTop : ctx.limits.groups.defaultTop,
    kind === "users" ? ctx.limits.users.cap : ctx.limits.groups.cap,
  );
  const items = all.slice(token.o, token.o + size);
  if (token.o + size < all.length) {
    return json(200, {
      "@odata.context": context(req, kind),
      "@odata.nextLink": link(req, "$skiptoken", { ...token, o: token.o + size }),
      value: items,
    });
  }
  return finish(req, kind, items, token);
}

function finish(req: EmuRequest, kind: Kind, items: unknown[], token: Token): EmuResponse {
  const next: Token = { ...token, from: token.to, o: 0, full: false };
  return json(200, {
    "@odata.context": context(req, kind),
    "@odata.deltaLink": link(req, "$deltatoken", next),
    value: items,
  });
}

function fullRound(ctx: RouteContext, kind: Kind, select: string[] | null): unknown[] {
  if (kind === "users") return ctx.store.listUsers().map((u) => projectUser(u, select));
  const withMembers = select?.includes("members") ?? false;
  const props = select?.filter((s) => s !== "members") ?? null;
  return ctx.store.listGroups().map((g) => {
    const out: Record<string, unknown> = projectGroup(g, props);
    // Only members that exist now, as `/groups/{id}/members` lists them (a soft-deleted user keeps
    // its membership but is not shown).
    if (withMembers)
      out["members@delta"] = liveMembers(ctx, g.members).map(([id, memberKind]) => memberRef(id, memberKind, false));
    return out;
  });
}

function changesSince(ctx: RouteContext, kind: Kind, token: Token): unknown[] {
  const single = kind === "users" ? "user" : "group";
  const touched = new Map<string, MemberChange[]>();
  for (const change of ctx.store.changes.slice(token.from, token.to)) {
    if (change.kind !== single) continue;
    const members = touched.get(change.id) ?? [];
    touched.delete(change.id);
    if (change.member) members.push(change.member);
    touched.set(change.id, members);
  }
  const out: unknown[] = [];
  for (const [id, members] of touched)
    out.push(kind === "users" ? userEntry(ctx, id, token.s) : groupEntry(ctx, id, members, token.s));
  return out;
}

interface MemberChange {
  readonly id: string;
  readonly kind: ObjectKind;
  readonly removed: boolean;
}

function userEntry(ctx: RouteContext, id: string, select: string[] | null): Record<string, unknown> {
  const user = ctx.store.users.get(id);
  if (user) return projectUser(user, select);
  const deleted = ctx.store.deletedUsers.get(id);
  if (!deleted) return { id, "@removed": { reason: "deleted" } };
  const removed = { "@removed": { reason: "changed" } };
  return ctx.store.settings.softDeletedUserDelta === "withProperties"
    ? { ...projectUser(deleted, select), ...removed }
    : { id, ...removed };
}

function groupEntry(
  ctx: RouteContext,
  id: string,
  members: readonly MemberChange[],
  select: string[] | null,
): Record<string, unknown> {
  const group = ctx.store.groups.get(id);
  if (!group) return { id, "@removed": { reason: ctx.store.deleted.groups.has(id) ? "changed" : "deleted" } };
  const record: Record<string, unknown> = projectGroup(group, select?.filter((s) => s !== "members") ?? null);
  if (select?.includes("members") && members.length > 0) {
    const last = new Map<string, MemberChange>();
    for (const m of members) last.set(m.id, m);
    record["members@delta"] = [...last.values()].map((m) => memberRef(m.id, m.kind, m.removed));
  }
  return record;
}

function liveMembers(ctx: RouteContext, ids: Iterable<string>): [string, ObjectKind][] {
  const out: [string, ObjectKind][] = [];
  for (const id of ids) {
    const memberKind = ctx.store.kindOf(id);
    if (memberKind) out.push([id, memberKind]);
  }
  return out;
}

/** A `members@delta` item; removals carry `@removed: deleted` as in Graph's examples. */
function memberRef(id: string, kind: ObjectKind, removed: boolean): Record<string, unknown> {
  const ref: Record<string, unknown> = { "@odata.type": `#microsoft.graph.${kind}`, id };
  if (removed) ref["@removed"] = { reason: "deleted" };
  return ref;
}

function context(req: EmuRequest, kind: Kind): string {
  return `${req.origin}/v1.0/$metadata#${kind}`;
}

function link(req: EmuRequest, param: string, token: Token): string {
  return `${req.origin}${req.path}?${param}=${Buffer.from(JSON.stringify(token)).toString("base64url")}`;
}

function decode(raw: string): Token | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null || !("e" in parsed) || !("to" in parsed)) return null;
    return parsed as Token;
  } catch {
    return null;
  }
}
