/**
 * `protect:` rules, compiled once at load: Klaxoon accounts the agent never deactivates,
 * modifies or removes from a group (break-glass and administrator accounts). A rule matches
 * the account as Klaxoon holds it, so it keeps protecting an account whose Entra object is
 * gone: its `userName` against a glob (`*` any run of characters, `?` one; case-insensitive,
 * as SCIM compares userName), its Klaxoon `id`, or a scoping-style filter over its SCIM
 * attributes (`title`, `urn:…:enterprise:2.0:User:department`, `active`…).
 */
import { type AccountProtection, NO_PROTECTION } from "../model/index.js";
import { compileScope } from "./compile-scope.js";
import type { ScopingFilterGroups } from "./types.js";

export interface ProtectionRules {
  readonly userNames: readonly string[];
  readonly klaxoonIds: readonly string[];
  readonly where: ScopingFilterGroups;
}

export function compileProtection(rules: ProtectionRules, where = "protect"): AccountProtection {
  const patterns = rules.userNames.map((glob, i) => ({ glob, at: `${where}.userNames[${i}]`, test: globTest(glob) }));
  const ids = new Map(rules.klaxoonIds.map((id, i) => [id.toLowerCase(), `${where}.klaxoonIds[${i}]`]));
  const filter =
    rules.where.length === 0 ? null : compileScope(rules.where, `${where}.where`, { allowMembership: false });
  const count = patterns.length + ids.size + rules.where.length;
  if (count === 0) return NO_PROTECTION;
  return {
    rules: count,
    protectedBy: (user) => {
      const byId = ids.get(user.id.toLowerCase());
      if (byId !== undefined) return `${byId} "${user.id}"`;
      const pattern = patterns.find((p) => p.test(user.userName));
      if (pattern !== undefined) return `${pattern.at} "${pattern.glob}"`;
      if (filter === null) return null;
      const account = { ...user.attributes, userName: user.userName, active: user.active };
      return filter.isInScope(account) ? `${where}.where: ${filter.explain(account).replace(/^in scope: /, "")}` : null;
    },
  };
}

function globTest(glob: string): (userName: string) => boolean {
  const source = [...glob].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")));
  const pattern = new RegExp(`^${source.join("")}$`, "iu");
  return (userName) => pattern.test(userName);
}
