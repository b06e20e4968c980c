import type { BigIntStats } from "node:fs";
import { stat } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { addPerson } from "../support/people.js";
import { watchAgent } from "../support/watch-agent.js";

/**
 * Issue 21, point 5: the leaver fast lane. Between regular cycles (here one an hour), a pass
 * every 3 seconds reads only Graph's delta rounds and applies only deactivations and member
 * removals: a disabled user is inactive in Klaxoon within one lane interval, while a joiner
 * waits for the next regular cycle.
 */
describe("the leaver fast lane (run)", () => {
  let env: AgentEnvironment;
  const ids: Record<string, string> = {};
  let teamId = "";

  const isActive = (nick: string): boolean | undefined => {
    const user = env.klaxoon.store.findUserByUserName(`${nick}@contoso.example`);
    return user === undefined ? undefined : user["active"] !== false;
  };
  const inTeam = (nick: string): boolean => {
    const team = env.klaxoon.store.findGroupByDisplayName("Team");
    const user = env.klaxoon.store.findUserByUserName(`${nick}@contoso.example`);
    return env.klaxoon.store.memberIds(String(team?.["id"])).includes(String(user?.["id"]));
  };
  const eventually = async (what: string, test: () => boolean): Promise<void> => {
    for (let i = 0; i < 150; i += 1) {
      if (test()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`not within 15 s: ${what}`);
  };

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 55, users: 0, groups: 0 }) },
      extraConfig: [
        "daemon:",
        "  intervalMinutes: 60",
        "  health: { host: 127.0.0.1, port: 0 }",
        "  leaverLane: { intervalMinutes: 0.05 }",
        "",
      ].join("\n"),
    });
    for (const nick of ["ada", "bob", "cy"]) ids[nick] = addPerson(env.graph.admin, nick);
    ids["gus"] = addPerson(env.graph.admin, "gus", {}, { assign: false });
    const team = env.graph.admin.addGroup({ displayName: "Team", memberIds: [ids["cy"] ?? "", ids["gus"] ?? ""] });
    teamId = team.id;
    env.graph.admin.assign(team.id);
  });
  afterAll(async () => env.close());

  it("deactivates a disabled user and one removed from its assigned group within a lane interval; never creates or updates", async () => {
    const child = env.spawnAgent(["run"]);
    const { until, exited } = watchAgent(child);
    try {
      await until(/"msg":"cycle finished"/);
      await until(/"msg":"leaver lane on"/);
      expect(isActive("ada")).toBe(true);
      expect(inTeam("gus")).toBe(true);

      env.graph.admin.disableUser(ids["ada"] ?? "");
      env.graph.admin.removeMember(teamId, ids["gus"] ?? "");
      // A joiner and a rename: the lane leaves both to the next regular cycle.
      addPerson(env.graph.admin, "dee");
      env.graph.admin.updateUser(ids["bob"] ?? "", { givenName: "Robert" });
      env.klaxoon.requestLog.clear();

      await eventually("ada inactive", () => isActive("ada") === false);
      await eventually("gus inactive and out of Team", () => isActive("gus") === false && !inTeam("gus"));
      expect(isActive("dee")).toBeUndefined();
      expect(env.klaxoon.store.findUserByUserName("bob@contoso.example")?.["name"]).toMatchObject({ givenName: "bob" });
      expect(env.klaxoon.requestLog.count((e) => e.method === "POST")).toBe(0);
      await until(/"lane":"leavers".*"msg":"leaver lane: leavers deactivated or removed"/);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });

  it("a quiet pass reads Graph's delta rounds and the service principal only: no assignment pages", async () => {
    const child = env.spawnAgent(["run"]);
    const { until, exited } = watchAgent(child);
    let before: BigIntStats | undefined;
    let after: BigIntStats | undefined;
    try {
      await until(/"msg":"cycle finished"/);
      // Past the daemon's own save after the cycle (its quarantine record, written only when it changes).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      before = await stat(env.statePath, { bigint: true });
      env.graph.requestLog.clear();
      // Two lane intervals: only lane passes run (the next regular cycle is an hour away).
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      after = await stat(env.statePath, { bigint: true });
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    // Passes that link nothing leave the state file, and with it the regular cycle's quiet record, as they are.
    expect([after?.ino, after?.mtimeNs]).toEqual([before?.ino, before?.mtimeNs]);
    expect((await stat(`${env.statePath}.quiet`)).isFile()).toBe(true);
    const counts = env.graph.requestLog.countsByPath();
    const paths = Object.keys(counts);
    expect(
      paths.some((p) => p.includes("delta")),
      JSON.stringify(counts),
    ).toBe(true);
    expect(
      paths.some((p) => p.includes("appRoleAssignedTo")),
      JSON.stringify(counts),
    ).toBe(false);
  });
});
