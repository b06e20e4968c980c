/** What a correct "assigned" snapshot holds, computed straight from the emulator's store. */
import type { TenantStore } from "../../emulators/graph/index.js";

export function expectedAssigned(store: TenantStore): { users: Set<string>; groups: Set<string> } {
  const hasUpn = (id: string) => typeof store.users.get(id)?.userPrincipalName === "string";
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const a of store.listAssignments()) {
    if (a.principalType === "User" && hasUpn(a.principalId)) users.add(a.principalId);
    const group = a.principalType === "Group" ? store.groups.get(a.principalId) : undefined;
    if (!group) continue;
    groups.add(group.id);
    if (group.securityEnabled) for (const id of group.members) if (hasUpn(id)) users.add(id);
  }
  return { users, groups };
}
