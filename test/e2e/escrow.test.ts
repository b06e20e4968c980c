import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import {
  EXIT_OK,
  EXIT_FAILURES,
  isWrite,
  upn,
  provisioningRecords,
  failures,
  failedKeys,
  userNamesHeld,
} from "../support/provisioning-records.js";
import { listHeldUsers } from "../support/scim-peek.js";

/**
 * Escrow end to end: writes Klaxoon fails (503 on every create, "User confirmation pending"
 * on some updates) make the cycle exit 4 and are retried in the next cycles (the first two
 * retries come at once), converging once the faults pass, with no duplicate account and one
 * provisioning record per failed operation per cycle, however often the request was retried.
 */
describe("escrow: failed writes are retried in later cycles and converge", () => {
  let env: AgentEnvironment;
  const ids: string[] = [];
  const created = [13, 14, 15, 16];
  const pending = [3, 8];
  const updatedFine = 5;

  function addAssignedUser(n: number): string {
    const nick = `member${String(n).padStart(2, "0")}`;
    const user = env.graph.admin.addUser({
      userPrincipalName: upn(n),
      mail: upn(n),
      mailNickname: nick,
      givenName: `Given${n}`,
      surname: `Family${n}`,
    });
    env.graph.admin.assign(user.id);
    return user.id;
  }

  beforeAll(async () => {
    env = await startAgentEnvironment({ graph: { tenant: generateTenant({ seed: 9, users: 0, groups: 0 }) } });
    for (let i = 1; i <= 12; i += 1) ids.push(addAssignedUser(i));
    const first = await env.runAgent(["sync"]);
    if (first.code !== EXIT_OK) throw new Error(`initial cycle failed (${String(first.code)}): ${first.stderr}`);
  });
  afterAll(async () => env?.close());

  it("cycle 1: creates fail with 503 and two updates are pending → exit 4, each failure logged once", async () => {
    for (const n of created) addAssignedUser(n);
    for (const n of [...pending, updatedFine])
      env.graph.admin.updateUser(ids[n - 1] ?? "", { givenName: `Consented${n}` });
    env.klaxoon.faults.add({ status: 503, method: "POST", path: "/Users" });
    env.klaxoon.faults.setPending(...pending.map(upn));
    env.klaxoon.requestLog.clear();

    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(EXIT_FAILURES);
    expect(run.stdout).toContain("Applied: 1 succeeded, 6 failed.");

    const failed = failures(run);
    expect(failedKeys(run)).toEqual(
      [...created.map((n) => `create ${upn(n)}`), ...pending.map((n) => `update ${upn(n)}`)].sort(),
    );
    expect(
      failed.filter((r) => r.action === "create").every((r) => r.status === "transient" && r.httpStatus === 503),
    ).toBe(true);
    expect(
      failed.filter((r) => r.action === "update").every((r) => r.status === "pending" && r.httpStatus === 409),
    ).toBe(true);
    expect(new Set(provisioningRecords(run).map((r) => r.cycleId)).size).toBe(1);
    expect(
      provisioningRecords(run)
        .filter((r) => r.status === "success")
        .map((r) => `${r.action} ${r.object}`),
    ).toEqual([`update ${upn(updatedFine)}`]);

    // The 503s were retried within the cycle (and still logged once each); the 409s were not.
    const posts = env.klaxoon.requestLog.entries.filter((e) => e.method === "POST" && e.path === "/Users");
    expect(posts.length).toBeGreaterThan(created.length);
    expect(posts.every((e) => e.status === 503)).toBe(true);
    for (const n of pending) {
      const id = String(env.klaxoon.store.findUserByUserName(upn(n))?.["id"]);
      expect(
        env.klaxoon.requestLog.count((e) => e.path === `/Users/${id}` && isWrite(e)),
        upn(n),
      ).toBe(1);
    }
    expect(env.klaxoon.store.countUsers()).toBe(12);
  });

  it("cycle 2: the 503s have passed: the creates go through at once, the pending updates fail again, once each", async () => {
    env.klaxoon.faults.clear();
    env.klaxoon.faults.setPending(...pending.map(upn));
    env.klaxoon.requestLog.clear();

    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(EXIT_FAILURES);
    expect(failedKeys(run)).toEqual(pending.map((n) => `update ${upn(n)}`).sort());
    expect(failures(run).every((r) => r.status === "pending")).toBe(true);
    expect(
      provisioningRecords(run)
        .filter((r) => r.status === "success")
        .map((r) => `${r.action} ${r.object}`)
        .sort(),
    ).toEqual(created.map((n) => `create ${upn(n)}`));

    // Exactly one POST per user that was missing: nothing created twice.
    expect(env.klaxoon.requestLog.count((e) => e.method === "POST")).toBe(created.length);
    expect(userNamesHeld(env)).toEqual(Array.from({ length: 16 }, (_, i) => upn(i + 1)));
  });

  it("cycle 3: consent given (pending cleared): the escrowed updates converge", async () => {
    env.klaxoon.faults.clear();
    env.klaxoon.requestLog.clear();

    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(EXIT_OK);
    expect(failures(run)).toEqual([]);
    expect(
      provisioningRecords(run)
        .map((r) => `${r.action} ${r.object}`)
        .sort(),
    ).toEqual(pending.map((n) => `update ${upn(n)}`).sort());
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(pending.length);
    expect(env.klaxoon.requestLog.count((e) => e.method === "POST")).toBe(0);

    const held = await listHeldUsers(env.klaxoon.url, env.klaxoon.token);
    expect(held.map((u) => u.userName.toLowerCase()).sort()).toEqual(Array.from({ length: 16 }, (_, i) => upn(i + 1)));
    expect(held.every((u) => u.active)).toBe(true);
    for (const n of [...pending, updatedFine]) {
      expect(held.find((u) => u.userName.toLowerCase() === upn(n))?.raw["name"], upn(n)).toMatchObject({
        givenName: `Consented${n}`,
      });
    }
  });

  it("cycle 4: converged: zero SCIM writes, exit 0", async () => {
    env.klaxoon.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(EXIT_OK);
    expect(run.stdout).toContain("No changes.");
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
    expect(env.klaxoon.store.countUsers()).toBe(16);
  });
});
