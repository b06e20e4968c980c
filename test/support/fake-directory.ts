import type { DirectoryReader, SnapshotRequest } from "../../src/cycle/index.js";
import type { AppRoleAssignment, DirectoryGroup, DirectorySnapshot, DirectoryUser } from "../../src/model/index.js";

const DEFAULT_ROLE = "00000000-0000-0000-0000-000000000000";

/** The cycle's Graph port as an in-memory tenant; records each request it was given. */
export class FakeDirectory implements DirectoryReader {
  readonly users = new Map<string, DirectoryUser>();
  readonly groups = new Map<string, DirectoryGroup>();
  readonly assigned = new Set<string>();
  readonly requests: SnapshotRequest[] = [];
  failure: Error | null = null;

  addUser(id: string, attributes: Record<string, unknown>, assigned = true): void {
    this.users.set(id, { id, attributes: { accountEnabled: true, ...attributes }, softDeleted: false });
    if (assigned) this.assigned.add(id);
  }

  async readSnapshot(request: SnapshotRequest): Promise<DirectorySnapshot> {
    this.requests.push(request);
    if (this.failure) throw this.failure;
    const users = new Map<string, DirectoryUser>();
    const userAssignments = new Map<string, AppRoleAssignment[]>();
    for (const id of this.assigned) {
      const user = this.users.get(id);
      if (!user) continue;
      users.set(id, user);
      userAssignments.set(id, [{ principalId: id, principalType: "User", appRoleId: DEFAULT_ROLE }]);
    }
    return {
      servicePrincipal: { id: "sp", appId: "app", displayName: "Klaxoon", appRoles: [] },
      users,
      groups: new Map(this.groups),
      userAssignments,
      assignmentCount: this.assigned.size,
    };
  }
}
