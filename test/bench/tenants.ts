/** The benchmark's seeded tenants and the incremental change sets applied between cycles. */
import { generateTenant, KLAXOON_APP_ROLES, type TenantData } from "../fixtures/tenant.js";
import type { GraphEmulatorAdmin } from "../emulators/graph/index.js";

/** `users` users and `groups` groups; group 0 holds everyone, group 1 is "Klaxoon PRO" with 20% of users; both assigned. */
export function everyoneTenant(seed: number, users: number, groups: number): TenantData {
  const tenant = generateTenant({ seed, users, groups });
  const ids = tenant.users.map((u) => u.id);
  tenant.groups[0] = { ...tenant.groups[0]!, displayName: "Klaxoon – Everyone", memberIds: ids };
  tenant.groups[1] = {
    ...tenant.groups[1]!,
    displayName: "Klaxoon PRO",
    securityEnabled: true,
    memberIds: ids.filter((_, i) => i % 5 === 0),
  };
  const assigned = new Set(tenant.assignments.map((a) => a.principalId));
  for (const group of tenant.groups.slice(0, 2)) {
    if (!assigned.has(group.id)) {
      tenant.assignments.push({
        id: `bench${group.id.replaceAll("-", "")}`.padEnd(43, "A").slice(0, 43),
        principalId: group.id,
        principalType: "Group",
        appRoleId: KLAXOON_APP_ROLES.user,
        createdDateTime: new Date(Date.UTC(2025, 0, 1)).toISOString(),
      });
    }
  }
  return tenant;
}

/** A large tenant with the generator's defaults (30% of users and half the groups assigned). */
export function largeTenant(seed: number, users: number, groups: number): TenantData {
  return generateTenant({ seed, users, groups });
}

export interface ChangeSet {
  readonly renames: number;
  readonly disables: number;
  readonly unassignments: number;
  readonly moves: number;
  /** Objects changed in Entra. */
  readonly changes: number;
  /** Writes an exact agent makes: one per changed user, one per group whose member list changed. */
  readonly expectedWrites: number;
  /** The Entra ids behind expectedWrites. */
  readonly expectedUsers: ReadonlySet<string>;
  readonly expectedGroups: ReadonlySet<string>;
}

/**
 * Tracks who is in scope so each change has exactly one visible effect. Every change hits an
 * enabled user in scope (a disabled one is already inactive in Klaxoon: unassigning it writes
 * nothing, and its memberships are left alone): renames and disables; unassignments of users
 * assigned only directly (they leave scope); member moves of directly assigned users (scope
 * unchanged) between two assigned security-enabled groups.
 */
export class ChangeMaker {
  readonly #directUsers = new Set<string>();
  readonly #assignedGroups: string[] = [];
  readonly #members = new Map<string, Set<string>>();
  readonly #inAssignedGroup = new Map<string, number>();
  readonly #enabled = new Set<string>();
  readonly #used = new Set<string>();
  readonly #users: string[];
  #cursor = 0;
  #round = 0;

  constructor(tenant: TenantData) {
    // Entra provisions the members of security-enabled groups only (so does the agent).
    const groupIds = new Set(tenant.groups.filter((g) => g.securityEnabled).map((g) => g.id));
    const userIds = new Set(tenant.users.map((u) => u.id));
    for (const a of tenant.assignments) {
      if (a.principalType === "User") this.#directUsers.add(a.principalId);
      if (a.principalType === "Group" && groupIds.has(a.principalId)) this.#assignedGroups.push(a.principalId);
    }
    const assigned = new Set(this.#assignedGroups);
    for (const g of tenant.groups) {
      const users = new Set(g.memberIds.filter((id) => userIds.has(id)));
      this.#members.set(g.id, users);
      if (assigned.has(g.id))
        for (const u of users) this.#inAssignedGroup.set(u, (this.#inAssignedGroup.get(u) ?? 0) + 1);
    }
    for (const u of tenant.users) if (u.accountEnabled) this.#enabled.add(u.id);
    // Users without mail are never created (emails is required), so changing them has no effect.
    this.#users = tenant.users.filter((u) => u.mail !== null).map((u) => u.id);
  }

  #inScope(id: string): boolean {
    return this.#directUsers.has(id) || (this.#inAssignedGroup.get(id) ?? 0) > 0;
  }

  #take(accept: (id: string) => boolean): string | null {
    for (let scanned = 0; scanned < this.#users.length; scanned += 1) {
      const id = this.#users[this.#cursor]!;
      this.#cursor = (this.#cursor + 7919) % this.#users.length;
      if (!this.#used.has(id) && accept(id)) {
        this.#used.add(id);
        return id;
      }
    }
    return null;
  }

  /** Applies `count` changes (a quarter of each kind) through the emulator's admin API. */
  apply(admin: GraphEmulatorAdmin, count: number): ChangeSet {
    this.#round += 1;
    const quarter = Math.max(1, Math.floor(count / 4));
    let renames = 0,
      disables = 0,
      unassignments = 0,
      moves = 0;
    const touchedGroups = new Set<string>();
    const touchedUsers = new Set<string>();
    for (let i = 0; i < quarter; i += 1) {
      const r = this.#take((id) => this.#inScope(id) && this.#enabled.has(id));
      if (r) {
        admin.updateUser(r, { surname: `Renamed${this.#round}`, givenName: `Bench${i}` });
        renames += 1;
        touchedUsers.add(r);
      }
      const d = this.#take((id) => this.#inScope(id) && this.#enabled.has(id));
      if (d) {
        admin.disableUser(d);
        this.#enabled.delete(d);
        disables += 1;
        touchedUsers.add(d);
      }
      const u = this.#take(
        (id) => this.#enabled.has(id) && this.#directUsers.has(id) && (this.#inAssignedGroup.get(id) ?? 0) === 0,
      );
      if (u) {
        admin.unassign(u);
        this.#directUsers.delete(u);
        unassignments += 1;
        touchedUsers.add(u);
      }
      const m = this.#take(
        (id) =>
          this.#enabled.has(id) &&
          this.#directUsers.has(id) &&
          this.#assignedGroups.some((g) => this.#members.get(g)?.has(id)),
      );
      if (m) {
        const from = this.#assignedGroups.find((g) => this.#members.get(g)?.has(m))!;
        const to =
          this.#assignedGroups.find((g) => g !== from && !this.#members.get(g)?.has(m) && !touchedGroups.has(g)) ??
          this.#assignedGroups.find((g) => g !== from && !this.#members.get(g)?.has(m))!;
        admin.removeMember(from, m);
        admin.addMember(to, m);
        this.#members.get(from)!.delete(m);
        this.#members.get(to)!.add(m);
        touchedGroups.add(from).add(to);
        moves += 1;
      }
    }
    const changes = renames + disables + unassignments + moves;
    return {
      renames,
      disables,
      unassignments,
      moves,
      changes,
      expectedWrites: touchedUsers.size + touchedGroups.size,
      expectedUsers: touchedUsers,
      expectedGroups: touchedGroups,
    };
  }
}
