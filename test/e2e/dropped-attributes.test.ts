import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/index.js";
import { KLAXOON_LICENSE_PATH } from "../../src/model/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { KLAXOON_GROUP_EXTENSION_URN, type LoggedRequest } from "../emulators/klaxoon/index.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { runAgentInProcess } from "../support/in-process-agent.js";

/**
 * A target that answers a write with a success and does not store an attribute: Klaxoon here
 * drops a user's family name and a group's license. The agent finds it in the cycle that
 * writes, says so once (a plan warning, a provisioning record), and sends the value again only
 * when it changes in Entra. Without that, every cycle that compares with Klaxoon (each full
 * reconciliation, each other change of the user) sends it again, for ever.
 */
const CODE = "TARGET_DROPS_ATTRIBUTE";
const FAMILY = "name.familyName";

describe.each([[["sync"]], [["sync", "--full-read"]]])(
  "a target that drops an attribute, cycles of `%s`",
  (command) => {
    let env: AgentEnvironment;
    let processEnv: NodeJS.ProcessEnv;
    let ada = "";
    let journal = "";
    let recordsSeen = 0;

    const writes = (): LoggedRequest[] => env.klaxoon.requestLog.entries.filter((e) => e.method !== "GET");
    const held = (): Record<string, unknown> | undefined => env.klaxoon.store.findUserByUserName("ada@contoso.example");
    /** One cycle: its plan on stdout, and the provisioning records it added to the JSONL file. */
    const cycle = async (): Promise<{
      stdout: string;
      warnings: number;
      records: { status: string; reason?: string; changes?: unknown }[];
    }> => {
      env.klaxoon.requestLog.clear();
      const run = await runAgentInProcess([...command, "--config", env.configPath], processEnv);
      expect(run.error).toBeNull();
      expect(run.code).toBe(EXIT.success);
      const lines = (await readFile(journal, "utf8").catch(() => "")).split("\n").filter((line) => line !== "");
      const records = lines.slice(recordsSeen).map((line) => JSON.parse(line) as { status: string; reason?: string });
      recordsSeen = lines.length;
      return { stdout: run.stdout, warnings: run.stdout.split(`[${CODE}]`).length - 1, records };
    };

    beforeAll(async () => {
      env = await startAgentEnvironment({
        graph: { tenant: generateTenant({ seed: 61, users: 0, groups: 0 }) },
        extraConfig: "log: { level: error }\nprovisioningLog: { file: provisioning.jsonl }",
      });
      journal = join(env.dir, "provisioning.jsonl");
      processEnv = { ...process.env, GRAPH_CLIENT_SECRET: env.graph.clientSecret };
      const user = env.graph.admin.addUser({
        userPrincipalName: "ada@contoso.example",
        mail: "ada@contoso.example",
        mailNickname: "ada",
        givenName: "Ada",
        surname: "Lovelace",
      });
      const group = env.graph.admin.addGroup({ displayName: "Klaxoon PRO" });
      env.graph.admin.assign(group.id);
      env.graph.admin.addMember(group.id, user.id);
      ada = user.id;
      env.klaxoon.faults.dropAttribute(FAMILY);
      env.klaxoon.faults.dropAttribute(KLAXOON_LICENSE_PATH, "Groups");
    });
    afterAll(async () => env?.close());

    it("cycle 1 writes everything, finds what Klaxoon did not store, and reports it once", async () => {
      const first = await cycle();
      expect(writes().map((e) => `${e.method} ${e.path}`)).toEqual(["POST /Users", "POST /Groups"]);
      expect(held()?.["name"]).toEqual({ givenName: "Ada" });
      expect(env.klaxoon.store.findGroupByDisplayName("Klaxoon PRO")?.[KLAXOON_GROUP_EXTENSION_URN]).toBeUndefined();

      expect(first.warnings).toBe(2);
      expect(first.stdout).toContain(
        `[${CODE}] user ada@contoso.example: Klaxoon answered success and did not store ${FAMILY} (sent "Lovelace", holds no value)`,
      );
      expect(first.stdout).toContain(
        `[${CODE}] group Klaxoon PRO: Klaxoon answered success and did not store ${KLAXOON_LICENSE_PATH} (sent "true", holds no value)`,
      );
      expect(first.records.filter((r) => r.status === "warning")).toEqual([
        expect.objectContaining({
          kind: "user",
          action: "create",
          status: "warning",
          reason: CODE,
          changes: [{ path: FAMILY, from: null, to: "Lovelace" }],
        }),
        expect.objectContaining({
          kind: "group",
          action: "create",
          status: "warning",
          reason: CODE,
          changes: [{ path: KLAXOON_LICENSE_PATH, from: null, to: "true" }],
        }),
      ]);
      const state = JSON.parse(await readFile(env.statePath, "utf8")) as {
        droppedAttributes: { users: Record<string, Record<string, string>> };
      };
      expect(Object.keys(state.droppedAttributes.users[ada] ?? {})).toEqual([FAMILY]);
    });

    it("cycles 2 and 3 write nothing and report nothing more", async () => {
      for (const _ of [2, 3]) {
        const next = await cycle();
        expect(writes()).toEqual([]);
        expect(next.stdout).toContain("No changes.");
        expect(next.warnings).toBe(0);
        expect(next.records).toEqual([]);
      }
    });

    it("another change of the user is sent without the dropped attribute", async () => {
      env.graph.admin.updateUser(ada, { givenName: "Augusta" });
      const next = await cycle();
      expect(writes().map((e) => e.body)).toEqual([
        expect.objectContaining({ Operations: [{ op: "replace", path: "name.givenName", value: "Augusta" }] }),
      ]);
      expect(next.warnings).toBe(0);
    });

    it("a new value in Entra is sent once, found dropped again, reported once, and then left alone", async () => {
      env.graph.admin.updateUser(ada, { surname: "King" });
      const changed = await cycle();
      // Klaxoon answers that PATCH 204 without a body: the agent reads the user back to check.
      expect(writes().map((e) => e.body)).toEqual([
        expect.objectContaining({ Operations: [{ op: "replace", path: FAMILY, value: "King" }] }),
      ]);
      expect(
        env.klaxoon.requestLog.count((e) => e.method === "GET" && e.path === `/Users/${String(held()?.["id"])}`),
      ).toBeGreaterThan(0);
      expect(changed.warnings).toBe(1);
      expect(changed.stdout).toContain(`did not store ${FAMILY} (sent "King", holds no value)`);

      const after = await cycle();
      expect(writes()).toEqual([]);
      expect(after.warnings).toBe(0);
    });

    it("once Klaxoon stores it, a new value is sent once and kept", async () => {
      env.klaxoon.faults.keepAttribute(FAMILY);
      env.graph.admin.updateUser(ada, { surname: "Byron" });
      const changed = await cycle();
      expect(writes()).toHaveLength(1);
      expect(changed.warnings).toBe(0);
      expect(held()?.["name"]).toMatchObject({ familyName: "Byron" });
      const state = JSON.parse(await readFile(env.statePath, "utf8")) as {
        droppedAttributes: { users: Record<string, unknown> };
      };
      expect(state.droppedAttributes.users[ada]).toBeUndefined();
      await cycle();
      expect(writes()).toEqual([]);
    });
  },
);
