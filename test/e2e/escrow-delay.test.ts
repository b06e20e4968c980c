import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import {
  EXIT_OK,
  EXIT_FAILURES,
  isWrite,
  upn,
  failures,
  failedKeys,
  userNamesHeld,
} from "../support/provisioning-records.js";

/**
 * Escrow timing end to end (see src/apply/escrow.ts): a failed operation is retried at once in
 * the next two cycles, then waits with a growing delay (no request at all, exit 4, an "in
 * escrow" log line); an edited change is tried again at once; `reset --clear-escrows` lets a
 * waiting one go now. Also: a create whose response is lost is not made twice.
 */
describe("escrow: after the two immediate retries, the operation waits; a lost create response makes no duplicate", () => {
  let env: AgentEnvironment;
  const ids: string[] = [];
  const stuck = 2;

  beforeAll(async () => {
    env = await startAgentEnvironment({ graph: { tenant: generateTenant({ seed: 10, users: 0, groups: 0 }) } });
    for (let n = 1; n <= 4; n += 1) {
      const user = env.graph.admin.addUser({
        userPrincipalName: upn(n),
        mail: upn(n),
        mailNickname: `member${n}`,
        givenName: `Given${n}`,
        surname: `Family${n}`,
      });
      env.graph.admin.assign(user.id);
      ids.push(user.id);
    }
    const first = await env.runAgent(["sync"]);
    if (first.code !== EXIT_OK) throw new Error(`initial cycle failed (${String(first.code)}): ${first.stderr}`);
  });
  afterAll(async () => env?.close());

  it("fails three cycles in a row, then is deferred: no request, exit 4, one 'in escrow' line", async () => {
    env.graph.admin.updateUser(ids[stuck - 1] ?? "", { givenName: "Later" });
    env.klaxoon.faults.setPending(upn(stuck));
    for (let cycle = 1; cycle <= 3; cycle += 1) {
      env.klaxoon.requestLog.clear();
      const run = await env.runAgent(["sync"]);
      expect(run.code, `cycle ${cycle}: ${run.stderr}`).toBe(EXIT_FAILURES);
      expect(failedKeys(run), `cycle ${cycle}`).toEqual([`update ${upn(stuck)}`]);
      expect(env.klaxoon.requestLog.count(isWrite), `cycle ${cycle}`).toBe(1);
    }

    env.klaxoon.requestLog.clear();
    const deferred = await env.runAgent(["sync"]);
    expect(deferred.code, deferred.stderr).toBe(EXIT_FAILURES);
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
    expect(failures(deferred)).toEqual([]);
    const waiting = deferred.stderr
      .split("\n")
      .filter((line) => line.includes('"in escrow: retried later"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      object: upn(stuck),
      action: "update",
      attempts: 3,
      lastError: { status: "pending", httpStatus: 409 },
    });
    expect(Date.parse(String(waiting[0]?.["nextAttemptAt"]))).toBeGreaterThan(Date.now() + 60_000);
  });

  it("an edited change is tried again at once; after consent and `reset --clear-escrows` it converges", async () => {
    env.graph.admin.updateUser(ids[stuck - 1] ?? "", { givenName: "Edited" });
    env.klaxoon.requestLog.clear();
    const edited = await env.runAgent(["sync"]);
    expect(edited.code, edited.stderr).toBe(EXIT_FAILURES);
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(1);
    expect(failedKeys(edited)).toEqual([`update ${upn(stuck)}`]);

    env.klaxoon.faults.clear();
    const reset = await env.runAgent(["reset", "--clear-escrows"]);
    expect(reset.code, reset.stderr).toBe(EXIT_OK);
    env.klaxoon.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(EXIT_OK);
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(1);
    expect(env.klaxoon.store.findUserByUserName(upn(stuck))?.["name"]).toMatchObject({ givenName: "Edited" });
  });

  it("a create whose response is lost is not made twice", async () => {
    const user = env.graph.admin.addUser({
      userPrincipalName: upn(5),
      mail: upn(5),
      mailNickname: "member5",
      givenName: "Given5",
      surname: "Family5",
    });
    env.graph.admin.assign(user.id);
    env.klaxoon.faults.add({ method: "POST", path: "/Users", dropResponse: true, count: 1 });
    env.klaxoon.requestLog.clear();

    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(EXIT_OK);
    expect(failures(run)).toEqual([]);
    expect(userNamesHeld(env)).toEqual([1, 2, 3, 4, 5].map(upn));

    env.klaxoon.faults.clear();
    env.klaxoon.requestLog.clear();
    const next = await env.runAgent(["sync"]);
    expect(next.code, next.stderr).toBe(EXIT_OK);
    expect(next.stdout).toContain("No changes.");
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
  });
});
