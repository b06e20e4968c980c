import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parsePlan, serialisePlan } from "../../src/plan/serialise.js";
import type { Plan, PlanBasis } from "../../src/plan/types.js";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { addPerson } from "../support/people.js";

/**
 * Issue 21, point 2: terraform's `plan -out` / `apply plan` habit. `apply plan.json` writes
 * exactly the reviewed plan, or refuses it (exit 7, nothing written) when it is stale: made for
 * other ends, rules or guard settings, too old, edited, or when an object it touches changed
 * in Entra or Klaxoon since. The deletion guard is judged again when it applies.
 */
const EXIT_REFUSED = 7;
const isWrite = (e: { method: string }): boolean => e.method !== "GET";

describe("apply a reviewed plan", () => {
  let env: AgentEnvironment;
  let original = "";
  const ids: Record<string, string> = {};
  const planFile = () => join(env.dir, "plan.json");

  const addUser = (nick: string): void => {
    ids[nick] = addPerson(env.graph.admin, nick);
  };
  const review = async (expectedCode = 0): Promise<Plan> => {
    const run = await env.runAgent(["sync", "--dry-run", "--plan-file", planFile()]);
    expect(run.code, run.stderr).toBe(expectedCode);
    return parsePlan(await readFile(planFile(), "utf8"), "plan.json");
  };
  /** A plan changed as `edit` says and sealed again, as a plan made elsewhere would be. */
  const resealed = async (edit: (plan: Plan) => Plan): Promise<void> => {
    const plan = parsePlan(await readFile(planFile(), "utf8"), "plan.json");
    await writeFile(planFile(), serialisePlan(edit(plan)));
  };
  const apply = async (...args: string[]) => {
    env.klaxoon.requestLog.clear();
    return env.runAgent(["apply", planFile(), ...args]);
  };
  const refusedWith = async (message: string | RegExp): Promise<void> => {
    const run = await apply();
    expect(run.code, run.stderr).toBe(EXIT_REFUSED);
    expect(run.stderr).toMatch(message);
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);
  };

  beforeAll(async () => {
    env = await startAgentEnvironment({ graph: { tenant: generateTenant({ seed: 27, users: 0, groups: 0 }) } });
    original = await readFile(env.configPath, "utf8");
    for (const nick of ["ada", "bob", "cy"]) addUser(nick);
    const first = await env.runAgent(["sync"]);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(async () => env.close());
  beforeEach(async () => writeFile(env.configPath, original));

  it("applies a fresh plan exactly: its operations and nothing else", async () => {
    env.graph.admin.updateUser(ids["ada"] ?? "", { givenName: "Adah" });
    addUser("dee");
    const plan = await review();
    expect(plan.basis?.objects).toBeDefined();
    expect(plan.integrity).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(plan.operations.map((op) => `${op.action}:${op.object.label}`).sort()).toEqual([
      "create:dee@contoso.example",
      "update:ada@contoso.example",
    ]);
    // A change made after the review, to an object the plan does not touch: not applied.
    env.graph.admin.updateUser(ids["bob"] ?? "", { givenName: "Robert" });

    const run = await apply();
    expect(run.code, run.stderr).toBe(0);
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(2);
    expect(env.klaxoon.store.findUserByUserName("dee@contoso.example")).toBeDefined();
    expect(env.klaxoon.store.findUserByUserName("ada@contoso.example")?.["name"]).toMatchObject({ givenName: "Adah" });
    expect(env.klaxoon.store.findUserByUserName("bob@contoso.example")?.["name"]).toMatchObject({ givenName: "bob" });
    // The next regular cycle still sees bob's change (apply kept the delta checkpoint) and nothing else.
    const next = await env.runAgent(["sync"]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain('~ bob@contoso.example  name.givenName: "bob" → "Robert"');
    expect(next.stdout).toContain("Plan: 0 to create, 1 to update, 0 to deactivate,");
  });

  it("refuses a plan when an object it touches changed in Entra since, naming it", async () => {
    env.graph.admin.updateUser(ids["cy"] ?? "", { givenName: "Cyril" });
    await review();
    env.graph.admin.updateUser(ids["cy"] ?? "", { givenName: "Cyrus" });
    await refusedWith(
      /\[PLAN_STALE\].*1 object\(s\) it touches changed since it was made: cy@contoso\.example \(changed in Entra\)/,
    );
  });

  it("refuses a plan when an object it touches changed in Klaxoon since", async () => {
    await review();
    const cy = env.klaxoon.store.findUserByUserName("cy@contoso.example");
    if (cy === undefined) throw new Error("cy is not in Klaxoon");
    cy["name"] = { ...(cy["name"] as object), familyName: "Edited in Klaxoon" };
    await refusedWith(/cy@contoso\.example \(changed in Klaxoon\)/);
  });

  it("refuses an edited plan (integrity), another format version, and a file that is not a plan", async () => {
    await review();
    const text = await readFile(planFile(), "utf8");
    const edited = JSON.parse(text) as { createdAt: string };
    edited.createdAt = new Date().toISOString();
    await writeFile(planFile(), JSON.stringify(edited, null, 2));
    await refusedWith(/\[PLAN_INTEGRITY\].*does not match its integrity hash/);
    await writeFile(planFile(), text.replace('"version": 3', '"version": 2'));
    await refusedWith(/\[PLAN_VERSION\]: .*plan format v2 cannot be read by this agent \(v3\)/);
    await writeFile(planFile(), "not json");
    await refusedWith(/\[PLAN_INVALID\]/);
  });

  it("refuses an on-demand plan: it was made for one object, and records no basis", async () => {
    const run = await env.runAgent(["sync", "--dry-run", "--user", "cy@contoso.example", "--plan-file", planFile()]);
    expect(run.code, run.stderr).toBe(0);
    await refusedWith(/this plan records no basis \(an on-demand plan\?\)/);
  });

  it("refuses a plan made for another tenant, app or Klaxoon URL, or older than allowed", async () => {
    await review();
    const basis = (plan: Plan): PlanBasis => {
      if (plan.basis === undefined) throw new Error("the plan has no basis");
      return plan.basis;
    };
    await resealed((plan) => ({ ...plan, basis: { ...basis(plan), graphTenantId: "other-tenant" } }));
    await refusedWith(/it was made for tenant other-tenant, the config names/);
    await review();
    await resealed((plan) => ({ ...plan, basis: { ...basis(plan), app: "appid:other" } }));
    await refusedWith(/it was made for app appid:other/);
    await review();
    await resealed((plan) => ({
      ...plan,
      basis: { ...basis(plan), targetUrl: "https://other.klaxoon.example/scim/v2" },
    }));
    await refusedWith(/it was made for Klaxoon https:\/\/other\.klaxoon\.example\/scim\/v2/);
    await review();
    await resealed((plan) => ({ ...plan, createdAt: new Date(Date.now() - 25 * 3_600_000).toISOString() }));
    await refusedWith(/older than the 1440 minutes allowed \(reviewedPlans\.maxAgeMinutes\)/);
  });

  it("refuses a plan made with other rules or deletion-guard settings (the config's fingerprint)", async () => {
    await review();
    await writeFile(
      env.configPath,
      `${original}scoping:\n  users:\n    - - { attribute: department, operator: IS NULL }\n`,
    );
    await refusedWith(/the mappings, scoping or protect rules changed since it was made/);
    await writeFile(env.configPath, `${original}deletionGuard: { maxDeactivations: 7 }\n`);
    await refusedWith(/the deletion guard's settings changed since it was made/);
  });

  it("judges the deletion guard again: held deactivations wait, --allow-deactivations applies them", async () => {
    await writeFile(env.configPath, `${original}deletionGuard: { maxDeactivations: 1 }\n`);
    env.graph.admin.unassign(ids["ada"] ?? "");
    env.graph.admin.unassign(ids["bob"] ?? "");
    env.graph.admin.updateUser(ids["dee"] ?? "", { givenName: "Deirdre" });
    const plan = await review(5);
    expect(plan.held).toHaveLength(2);
    const held = await apply();
    expect(held.code, held.stderr).toBe(5);
    expect(env.klaxoon.deactivations).toEqual([]);
    expect(env.klaxoon.store.findUserByUserName("dee@contoso.example")?.["name"]).toMatchObject({
      givenName: "Deirdre",
    });
    // What it did apply changed Klaxoon: the same file is stale now, a plan is applied once.
    await refusedWith(/changed since it was made/);
    expect((await review(5)).operations.filter((op) => op.action === "deactivate")).toEqual([]);
    const allowed = await apply("--allow-deactivations");
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(env.klaxoon.store.findUserByUserName("ada@contoso.example")?.["active"]).toBe(false);
    expect(env.klaxoon.store.findUserByUserName("bob@contoso.example")?.["active"]).toBe(false);
  });
});
