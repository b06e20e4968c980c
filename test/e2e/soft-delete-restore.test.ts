import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SoftDeleteMembership, SoftDeletedUserDelta } from "../emulators/graph/index.js";
import { KLAXOON_GROUP_EXTENSION_URN } from "../emulators/klaxoon/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

/**
 * Soft delete and restore as Entra does them: while in deleted items the user's UPN reads
 * `<objectId without dashes><original UPN>`, and Graph may or may not report it leaving its
 * groups. The soft-deleted user is deactivated and leaves its Klaxoon groups (and the PRO
 * license) in one delta cycle; the rewritten UPN is never sent; restoring reactivates the same
 * account, back in its groups. Run against both readings of Microsoft's documentation.
 */
const MODES: readonly [SoftDeleteMembership, SoftDeletedUserDelta][] = [
  ["reported", "idOnly"],
  ["silent", "withProperties"],
];

describe.each(MODES)(
  "soft delete and restore (groups/delta %s, users/delta %s)",
  (softDeleteMembership, softDeletedUserDelta) => {
    let env: AgentEnvironment;
    let adaId = "";
    let accountId = "";
    const ADA = "ada@contoso.example";

    const sync = async (...args: string[]): Promise<string> => {
      const run = await env.runAgent(["sync", ...args]);
      expect(run.code, run.stderr).toBe(0);
      return run.stdout;
    };
    const groupsOf = (id: string): string[] =>
      [...env.klaxoon.store.groups.values()]
        .filter((g) => env.klaxoon.store.memberIds(String(g["id"])).includes(id))
        .map((g) => String(g["displayName"]))
        .sort();
    const holdsPro = (id: string): boolean =>
      [...env.klaxoon.store.groups.values()].some(
        (g) =>
          (g[KLAXOON_GROUP_EXTENSION_URN] as { license?: string } | undefined)?.license === "true" &&
          env.klaxoon.store.memberIds(String(g["id"])).includes(id),
      );

    beforeAll(async () => {
      env = await startAgentEnvironment({
        graph: {
          tenant: generateTenant({ seed: 83, users: 0, groups: 0 }),
          softDeleteMembership,
          softDeletedUserDelta,
        },
      });
      const ada = env.graph.admin.addUser({
        userPrincipalName: ADA,
        mail: ADA,
        mailNickname: "ada",
        givenName: "Ada",
        surname: "Lovelace",
      });
      const bob = env.graph.admin.addUser({
        userPrincipalName: "bob@contoso.example",
        mail: "bob@contoso.example",
        mailNickname: "bob",
        givenName: "Bob",
        surname: "Builder",
      });
      adaId = ada.id;
      const pro = env.graph.admin.addGroup({ displayName: "Klaxoon PRO", memberIds: [ada.id, bob.id] });
      const everyone = env.graph.admin.addGroup({ displayName: "Everyone", memberIds: [ada.id, bob.id] });
      env.graph.admin.assign(pro.id);
      env.graph.admin.assign(everyone.id);
      await sync();
      accountId = String(env.klaxoon.store.findUserByUserName(ADA)?.["id"]);
      expect(groupsOf(accountId)).toEqual(["Everyone", "Klaxoon PRO"]);
    });
    afterAll(async () => env.close());

    it("a soft-deleted user is deactivated and leaves its groups, and so the PRO license, in the same delta cycle", async () => {
      env.graph.admin.softDeleteUser(adaId);
      env.klaxoon.requestLog.clear();
      const stdout = await sync();
      expect(stdout).toMatch(/ada@contoso\.example\s+\((softDeleted|unassigned)\)/);
      expect(env.klaxoon.store.users.get(accountId)?.["active"]).toBe(false);
      expect(groupsOf(accountId)).toEqual([]);
      expect(holdsPro(accountId)).toBe(false);
      // The rewritten UPN (object id without dashes + UPN) never reaches Klaxoon.
      const rewritten = `${adaId.replaceAll("-", "")}${ADA}`;
      expect(JSON.stringify(env.klaxoon.requestLog.entries.map((e) => [e.query, e.body]))).not.toContain(
        rewritten.slice(0, 32),
      );
      expect(env.klaxoon.store.countUsers()).toBe(2);
    });

    it("a full read then finds nothing left to do", async () => {
      expect(await sync("--full-read")).toContain("No changes.");
    });

    it("restored within 30 days: the same account is reactivated, back in its groups with the license, no duplicate", async () => {
      env.graph.admin.restoreUser(adaId);
      await sync();
      expect(env.klaxoon.store.findUserByUserName(ADA)?.["id"]).toBe(accountId);
      expect(env.klaxoon.store.users.get(accountId)?.["active"]).toBe(true);
      expect(groupsOf(accountId)).toEqual(["Everyone", "Klaxoon PRO"]);
      expect(holdsPro(accountId)).toBe(true);
      expect(env.klaxoon.store.countUsers()).toBe(2);
      expect(await sync("--full-read")).toContain("No changes.");
    });
  },
);
