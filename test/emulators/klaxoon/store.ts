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

export class KlaxoonStore {
  readonly users = new Map<string, JsonObject>();
  readonly groups = new Map<string, JsonObject>();
  readonly deactivations: Deactivation[] = [];
  #next = 1;

  nextId(prefix: "u" | "g"): string {
    return `${prefix}-${String(this.#next++).padStart(6, "0")}`;
  }

  findUserByUserName(userName: string): JsonObject | undefined {
    const wanted = userName.toLowerCase();
    for (const user of this.users.values()) if (String(user["userName"]).toLowerCase() === wanted) return user;
    return undefined;
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
