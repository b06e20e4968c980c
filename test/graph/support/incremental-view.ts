/** Snapshots as comparable plain values: order-free, optionally without some users (soft-deleted ones). */
import type { DirectorySnapshot } from "../../../src/model/index.js";

export function viewOf(snapshot: DirectorySnapshot, without: ReadonlySet<string> = new Set()) {
  const keep = (id: string) => !without.has(id);
  return {
    servicePrincipal: snapshot.servicePrincipal,
    assignmentCount: snapshot.assignmentCount,
    users: Object.fromEntries([...snapshot.users].filter(([id]) => keep(id))),
    groups: Object.fromEntries(
      [...snapshot.groups].map(([id, g]) => [
        id,
        { attributes: g.attributes, members: g.memberUserIds.filter(keep).sort() },
      ]),
    ),
    userAssignments: Object.fromEntries(
      [...snapshot.userAssignments]
        .filter(([id]) => keep(id))
        .map(([id, list]) => [id, list.map((a) => `${a.principalType}:${a.principalId}:${a.appRoleId}`).sort()]),
    ),
  };
}
