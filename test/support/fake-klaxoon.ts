import type { MemberChange, PatchChange, TargetWriter, WriteOutcome } from "../../src/apply/index.js";
import type { CreatedGroup } from "../../src/apply/writer.js";
import type { LookedUp, TargetLookup, TargetReader } from "../../src/cycle/index.js";
import type { FlatAttributes, ScimValue, TargetGroup, TargetUser } from "../../src/model/index.js";

/**
 * A small in-memory stand-in for the SCIM adapter, at the cycle's ports. Adapter behaviour on
 * the wire is tested against the Klaxoon emulator; this fake exists to test the cycle's logic.
 */
export class FakeKlaxoon implements TargetReader, TargetWriter {
  readonly users = new Map<string, Record<string, ScimValue>>();
  readonly groups = new Map<string, { attributes: Record<string, ScimValue>; members: Set<string> }>();
  readonly writes: string[] = [];
  /** userNames whose writes fail with the given outcome. */
  readonly failing = new Map<string, Exclude<WriteOutcome, { ok: true }>>();
  /** How many times a cycle proved the connection. */
  probes = 0;
  /** Thrown by the probe when set (a refused token, a dead URL). */
  probeError: Error | null = null;
  #next = 1;

  async probe(): Promise<void> {
    this.probes += 1;
    if (this.probeError) throw this.probeError;
  }

  async *listUsers(paths: readonly string[]): AsyncIterable<TargetUser> {
    for (const [id, attributes] of this.users) {
      yield {
        id,
        userName: String(attributes["userName"]),
        active: attributes["active"] !== false,
        attributes: pick(attributes, paths),
      };
    }
  }

  async *listGroups(paths: readonly string[]): AsyncIterable<TargetGroup> {
    for (const [id, group] of this.groups) {
      yield {
        id,
        displayName: String(group.attributes["displayName"]),
        attributes: pick(group.attributes, paths),
        memberIds: [...group.members],
      };
    }
  }

  async lookUpUsers(lookup: TargetLookup, paths: readonly string[]): Promise<LookedUp<TargetUser>> {
    const all: TargetUser[] = [];
    for await (const user of this.listUsers(paths)) all.push(user);
    return {
      found: all.filter(
        (u) => lookup.ids.includes(u.id) || lookup.keys.some((k) => this.users.get(u.id)?.[k.path] === k.value),
      ),
      unreadable: [],
    };
  }

  async lookUpGroups(lookup: TargetLookup, paths: readonly string[]): Promise<LookedUp<TargetGroup>> {
    const all: TargetGroup[] = [];
    for await (const group of this.listGroups(paths)) all.push(group);
    return {
      found: all.filter(
        (g) =>
          lookup.ids.includes(g.id) || lookup.keys.some((k) => this.groups.get(g.id)?.attributes[k.path] === k.value),
      ),
      unreadable: [],
    };
  }

  async createUser(attributes: FlatAttributes): Promise<WriteOutcome<{ id: string }>> {
    this.writes.push(`createUser ${String(attributes["userName"])}`);
    const failure = this.failing.get(String(attributes["userName"]));
    if (failure) return failure;
    const id = `u${this.#next++}`;
    this.users.set(id, { ...attributes });
    return { ok: true, value: { id } };
  }

  async patchUser(id: string, changes: readonly PatchChange[]): Promise<WriteOutcome> {
    this.writes.push(`patchUser ${id} ${changes.map((c) => c.path).join(",")}`);
    const user = this.users.get(id);
    if (!user) return { ok: false, kind: "invalid", status: 404, message: "no such user" };
    const failure = this.failing.get(String(user["userName"]));
    if (failure) return failure;
    for (const change of changes) {
      if (change.op === "remove") delete user[change.path];
      else user[change.path] = change.value;
    }
    return { ok: true, value: undefined };
  }

  async createGroup(attributes: FlatAttributes, memberIds: readonly string[]): Promise<WriteOutcome<CreatedGroup>> {
    this.writes.push(`createGroup ${String(attributes["displayName"])} ${memberIds.length}`);
    const id = `g${this.#next++}`;
    this.groups.set(id, { attributes: { ...attributes }, members: new Set(memberIds) });
    return { ok: true, value: { id, members: { ok: true, value: undefined } } };
  }

  async patchGroup(id: string, changes: readonly PatchChange[]): Promise<WriteOutcome> {
    this.writes.push(`patchGroup ${id}`);
    const group = this.groups.get(id);
    for (const change of changes) if (group && change.op !== "remove") group.attributes[change.path] = change.value;
    return { ok: true, value: undefined };
  }

  async changeMembers(groupId: string, change: MemberChange): Promise<WriteOutcome> {
    this.writes.push(`changeMembers ${groupId} -${change.remove.length} +${change.add.length}`);
    const members = this.groups.get(groupId)?.members;
    for (const id of change.remove) members?.delete(id);
    for (const id of change.add) members?.add(id);
    return { ok: true, value: undefined };
  }
}

function pick(attributes: Readonly<Record<string, ScimValue>>, paths: readonly string[]): FlatAttributes {
  return Object.fromEntries(paths.filter((p) => p in attributes).map((p) => [p, attributes[p] ?? null]));
}
