/** The `$select` lists sent to Graph: what the mappings and filters read, plus what every read relies on. */
import type { SnapshotRequest } from "../../cycle/index.js";

/** Virtual attributes computed by mapping/, never sent to Graph in `$select`. */
const VIRTUAL = new Set(["objectid", "issoftdeleted", "approleassignments", "originaluserprincipalname"]);

export function selectList(requested: readonly string[], always: readonly string[]): string {
  const names = new Set(always);
  for (const name of requested) if (!VIRTUAL.has(name.toLowerCase())) names.add(name);
  return [...names].join(",");
}

/** The `$select` lists of a request, as sent (without the `$select=`). */
export function selectsFor(request: SnapshotRequest): { readonly users: string; readonly groups: string } {
  return {
    users: selectList(request.userAttributes, ["id", "userPrincipalName", "accountEnabled"]),
    groups: selectList(request.groupAttributes, ["id", "displayName", "securityEnabled"]),
  };
}
