import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

const readMode = (stderr: string): string | undefined =>
  /"mode":"(full|delta|quiet)"[^\n]*"msg":"read Entra/.exec(stderr)?.[1];

interface PlanJson {
  readonly operations: readonly unknown[];
  readonly warnings: readonly { readonly code: string; readonly label: string; readonly since?: string }[];
  readonly counts: Record<string, number>;
  readonly guard: unknown;
}

/** A dry run prints the plan; a cycle that applied, the plan with what applying did. */
const planOf = (stdout: string): PlanJson => {
  const printed = JSON.parse(stdout) as PlanJson | { readonly plan: PlanJson };
  return "plan" in printed ? printed.plan : printed;
};

/**
 * A cycle that leaves Klaxoon settled records the plan its next cycle would make; while Entra
 * stays as it was, that next cycle is quiet: one delta round each for users and groups, the app
 * and its assignments, one authenticated read of Klaxoon, and the recorded plan, with the state
 * file neither decoded nor rewritten. Anything it cannot be sure of runs the cycle in full.
 */
describe("quiet cycles", () => {
  let env: AgentEnvironment;
  let ada = "";
  let grace = "";
  const stateFile = async () => stat(env.statePath, { bigint: true });
  const quietFile = async () =>
    stat(`${env.statePath}.quiet`).then(
      () => true,
      () => false,
    );

  beforeAll(async () => {
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 31, users: 80, groups: 3, assignedFraction: 0.5 }) },
    });
    const add = (nick: string, givenName: string, surname: string | null) => {
      const user = env.graph.admin.addUser({
        userPrincipalName: `${nick}@contoso.example`,
        mail: `${nick}@contoso.example`,
        mailNickname: nick,
        givenName,
        surname,
      });
      env.graph.admin.assign(user.id);
      return user.id;
    };
    ada = add("ada", "Ada", "Lovelace");
    grace = add("grace", "Grace", "Hopper");
    // Never created (a required value is missing): its warning lasts, in quiet cycles too.
    add("nosurname", "No", null);
  });
  afterAll(async () => env?.close());

  it("a first cycle that applies everything leaves Klaxoon settled, and says so beside the state", async () => {
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readMode(run.stderr)).toBe("full");
    expect(await quietFile()).toBe(true);
  });

  it("the next cycle is quiet: the state file untouched, one read of Klaxoon, the plan a full cycle makes", async () => {
    const before = await stateFile();
    env.klaxoon.requestLog.clear();
    env.graph.requestLog.clear();
    const run = await env.runAgent(["sync", "--output", "json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readMode(run.stderr)).toBe("quiet");
    const after = await stateFile();
    expect([after.ino, after.mtimeNs]).toEqual([before.ino, before.mtimeNs]);
    // Klaxoon: the connection probe only, which proves it takes the token.
    expect(env.klaxoon.requestLog.entries.map((e) => e.method)).toEqual(["GET"]);
    // Graph: the app, its assignments, the two delta rounds; no user or group read.
    const paths = new Set(env.graph.requestLog.graphRequests().map((e) => e.path.replace(/[0-9a-f-]{36}/g, "{id}")));
    expect(paths).toEqual(
      new Set([
        "/v1.0/servicePrincipals",
        "/v1.0/servicePrincipals/{id}/appRoleAssignedTo",
        "/v1.0/users/delta",
        "/v1.0/groups/delta",
      ]),
    );

    const quiet = planOf(run.stdout);
    const dryRun = await env.runAgent(["sync", "--dry-run", "--output", "json"]);
    expect(readMode(dryRun.stderr)).toBe("delta");
    const full = planOf(dryRun.stdout);
    expect(quiet.operations).toEqual([]);
    expect(quiet.warnings).toEqual(full.warnings);
    expect(quiet.warnings.map((w) => w.code)).toContain("REQUIRED_ATTRIBUTE_NULL");
    expect([quiet.counts, quiet.guard]).toEqual([full.counts, full.guard]);
  });

  it("a change after quiet cycles is applied, and what the quiet check read is not read again", async () => {
    await env.runAgent(["sync"]);
    env.graph.admin.updateUser(ada, { givenName: "Augusta" });
    env.graph.requestLog.clear();
    env.klaxoon.requestLog.clear();
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readMode(run.stderr)).toBe("delta");
    expect(run.stdout).toMatch(/name\.givenName: "Ada" → "Augusta"/);
    const counts = env.graph.requestLog.countsByPath();
    const assignmentPages = Object.entries(counts)
      .filter(([key]) => key.includes("appRoleAssignedTo"))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(assignmentPages).toBe(1);
    const deltaRequests = env.graph.requestLog.graphRequests().filter((e) => e.path.endsWith("/delta"));
    expect(deltaRequests).toHaveLength(2);
    expect(env.klaxoon.requestLog.count((e) => e.method === "PATCH")).toBe(1);

    const next = await env.runAgent(["sync"]);
    expect(readMode(next.stderr)).toBe("quiet");
  });

  it("an unassignment, which no delta round shows, is seen in the assignments: the user is deactivated", async () => {
    env.graph.admin.unassign(grace);
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readMode(run.stderr)).toBe("delta");
    expect(env.klaxoon.deactivations.map((d) => d.userName)).toEqual(["grace@contoso.example"]);
    expect(readMode((await env.runAgent(["sync"])).stderr)).toBe("quiet");
  });

  it("an app role added to the app, which no delta round shows either, runs the cycle in full", async () => {
    env.graph.admin.addAppRole("Klaxoon.Animator", "Animator");
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readMode(run.stderr)).toBe("delta");
    expect(run.stderr).toContain("the app or its roles changed");
    expect(readMode((await env.runAgent(["sync"])).stderr)).toBe("quiet");
  });

  it("a quiet cycle still proves Klaxoon takes the token: a revoked one fails it loudly", async () => {
    const tokenFile = join(env.dir, "klaxoon-token");
    await writeFile(tokenFile, "revoked\n");
    try {
      const run = await env.runAgent(["sync"]);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain("KLAXOON_UNAUTHORIZED");
      expect(run.stderr).not.toContain(env.klaxoon.token);
    } finally {
      await writeFile(tokenFile, `${env.klaxoon.token}\n`);
    }
    await env.klaxoon.pause();
    try {
      const dead = await env.runAgent(["sync"]);
      expect(dead.code).toBe(3);
    } finally {
      await env.klaxoon.resume();
    }
    // The failures wrote nothing: the record still holds.
    expect(readMode((await env.runAgent(["sync"])).stderr)).toBe("quiet");
  });

  it("a write that fails leaves nothing settled: the next cycle runs in full and retries it", async () => {
    env.graph.admin.updateUser(ada, { givenName: "Ada" });
    env.klaxoon.faults.add({ status: 503, method: "PATCH", path: /^\/Users\// });
    const failed = await env.runAgent(["sync"]);
    expect(failed.code).toBe(4);
    expect(await quietFile()).toBe(false);
    env.klaxoon.faults.clear();
    const retried = await env.runAgent(["sync"]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(readMode(retried.stderr)).toBe("delta");
    expect(retried.stdout).toMatch(/name\.givenName: "Augusta" → "Ada"/);
    expect(readMode((await env.runAgent(["sync"])).stderr)).toBe("quiet");
  });

  it("a state file changed by anything else ends the quiet record", async () => {
    const later = new Date(Date.now() + 5_000);
    await utimes(env.statePath, later, later);
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readMode(run.stderr)).toBe("delta");
    expect(run.stdout).toContain("No changes.");
  });
});

describe("quiet cycles and mappings that read the clock", () => {
  let env: AgentEnvironment;
  beforeAll(async () => {
    const defaults = await readFile(join(import.meta.dirname, "../../config/klaxoon.mappings.yaml"), "utf8");
    // The same externalId as the default mapping, by way of the clock (Left(Now(), 0) is "").
    const withClock = defaults.replace(
      "direct: mailNickname",
      `expression: 'Join("", [mailNickname], Left(Now(), 0))'`,
    );
    expect(withClock).not.toBe(defaults);
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 32, users: 20, groups: 1, assignedFraction: 0.5 }) },
      mappingsYaml: withClock,
    });
  });
  afterAll(async () => env?.close());

  it("are never quiet: the same directory may map to other values", async () => {
    expect((await env.runAgent(["sync"])).code).toBe(0);
    const second = await env.runAgent(["sync"]);
    expect(second.code, second.stderr).toBe(0);
    expect(readMode(second.stderr)).toBe("delta");
    expect(second.stdout).toContain("No changes.");
  });
});
