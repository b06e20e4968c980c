/**
 * What the Klaxoon emulator holds: plain JSON resources as SCIMMY hands them to its ingress
 * handlers, keyed by id, plus the deactivations tests assert on. No SCIM logic lives here.
 */
export type JsonObject = Record<string, unknown>;

export interface Deactivation {
  readonly id: string;
  readonly userName: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

/**
 * Users by id, with an index on lower-cased userName kept on every set and delete, as a real
 * server's database keeps one: a uniqueness check or a `userName eq` filter costs a lookup, not
 * a scan of every account (at 100,000 users the scans took a third of the emulator's time in
 * an incremental cycle). Change a stored user's userName only by setting the user again.
 */
export class UserTable extends Map<string, JsonObject> {
  readonly #idsByUserName = new Map<string, Set<string>>();

  override set(id: string, user: JsonObject): this {
    this.#unindex(id);
    super.set(id, user);
    const key = userNameKey(user["userName"]);
    const ids = this.#idsByUserName.get(key) ?? new Set<string>();
    ids.add(id);
    this.#idsByUserName.set(key, ids);
    return this;
  }

  override delete(id: string): boolean {
    this.#unindex(id);
    return super.delete(id);
  }

  override clear(): void {
    this.#idsByUserName.clear();
    super.clear();
  }

  /** Users whose userName equals `userName`, ignoring case, in the order they were stored. */
  withUserName(userName: string): JsonObject[] {
    const users: JsonObject[] = [];
    for (const id of this.#idsByUserName.get(userNameKey(userName)) ?? []) {
      const user = this.get(id);
      if (user) users.push(user);
    }
    return users;
  }

  #unindex(id: string): void {
    const old = this.get(id);
    if (!old) return;
    const key = userNameKey(old["userName"]);
    const ids = this.#idsByUserName.get(key);
    ids?.delete(id);
    if (ids?.size === 0) this.#idsByUserName.delete(key);
  }
}

function userNameKey(userName: unknown): string {
  return String(userName).toLowerCase();
}

export class KlaxoonStore {
  readonly users = new UserTable();
  readonly groups = new Map<string, JsonObject>();
  readonly deactivations: Deactivation[] = [];
  #next = 1;

  nextId(prefix: "u" | "g"): string {
    return `${prefix}-${String(this.#next++).padStart(6, "0")}`;
  }

  /** A user holding `userName` (case-insensitive), other than `exceptId` when given. */
  findUserByUserName(userName: string, exceptId?: string): JsonObject | undefined {
    return this.users.withUserName(userName).find((user) => user["id"] !== exceptId);
  }

  countUsers(): number {
    return this.users.size;
  }

  countActiveUsers(): number {
    let n = 0;
    for (const user of this.users.values()) if (user["active"] !== false) n += 1;
    return n;
  }

  countGroups(): number {
    return this.groups.size;
  }

  findGroupByDisplayName(displayName: string): JsonObject | undefined {
    for (const group of this.groups.values()) if (group["displayName"] === displayName) return group;
    return undefined;
  }

  /** Member user ids of a group, in stored order. */
  memberIds(groupId: string): string[] {
    const members = this.groups.get(groupId)?.["members"];
    if (!Array.isArray(members)) return [];
    return members.flatMap((m: unknown) => (isObject(m) && typeof m["value"] === "string" ? [m["value"]] : []));
  }

  countMembers(groupId: string): number {
    return this.memberIds(groupId).length;
  }

  /** Seeds a user directly (no request), e.g. for read tests. Returns its id. */
  seedUser(user: JsonObject): string {
    const id = this.nextId("u");
    this.users.set(id, { active: true, ...user, id });
    return id;
  }

  seedGroup(group: JsonObject): string {
    const id = this.nextId("g");
    this.groups.set(id, { ...group, id });
    return id;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
