import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { addPerson } from "../support/people.js";

const ROOT = join(import.meta.dirname, "..", "..");

/**
 * Issue 21, point 3: a dry run with changed mappings or scoping rules is a preview against the
 * live tenant: every object evaluated (never the delta shortcut), then an impact summary by
 * cause. It writes nothing, not even state: the next real cycle with the old config is a delta.
 */
describe("preview of a configuration change", () => {
  let env: AgentEnvironment;
  let original = "";

  /** The config as it is, with `edit` applied, for one run; then the original again. */
  const withConfig = async (edit: (yaml: string) => string, args: readonly string[]) => {
    await writeFile(env.configPath, edit(original));
    try {
      return await env.runAgent(args);
    } finally {
      await writeFile(env.configPath, original);
    }
  };

  beforeAll(async () => {
    env = await startAgentEnvironment({ graph: { tenant: generateTenant({ seed: 33, users: 0, groups: 0 }) } });
    for (const [nick, department] of [
      ["ada", "Sales"],
      ["bob", "Sales"],
      ["cy", "Sales"],
      ["dee", "Sales"],
      ["eve", "Finance"],
    ] as const)
      addPerson(env.graph.admin, nick, { displayName: `${nick.toUpperCase()} Test`, department });
    original = await readFile(env.configPath, "utf8");
    const first = await env.runAgent(["sync"]);
    expect(first.code, first.stderr).toBe(0);
    // A second cycle settles into delta reads.
    expect((await env.runAgent(["sync"])).code).toBe(0);
  });
  afterAll(async () => env.close());

  it("a mapping change: a full evaluation and, per attribute, how many objects change with three examples", async () => {
    const mappings = (await readFile(join(ROOT, "config", "klaxoon.mappings.yaml"), "utf8")).replace(
      "  - target: name.givenName\n    direct: givenName",
      "  - target: name.givenName\n    direct: displayName",
    );
    const changed = join(env.dir, "changed.mappings.yaml");
    await writeFile(changed, mappings);
    env.klaxoon.requestLog.clear();
    const run = await withConfig(
      (yaml) => yaml.replace(/^mappings: .*$/m, `mappings: ${JSON.stringify(changed)}`),
      ["sync", "--dry-run"],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("this cycle re-evaluates everything");
    expect(run.stderr).toMatch(/"mode":"full"/);
    expect(run.stdout).toContain("Impact of the configuration change");
    expect(run.stdout).toContain(
      "  name.givenName changes for: 5 (ada@contoso.example, bob@contoso.example, cy@contoso.example, …)",
    );
    expect(run.stdout).toContain("  leave scope (would be deactivated): 0");
    expect(run.stdout).toContain("  deletion guard: would not hold (0 deactivations)");
    expect(env.klaxoon.requestLog.count((e) => e.method !== "GET")).toBe(0);
  });

  it("a scoping change: who leaves scope, and whether the deletion guard would hold", async () => {
    const scoping = [
      "scoping:",
      "  users:",
      "    - - { attribute: department, operator: EQUALS, value: Finance }",
      "deletionGuard: { maxDeactivations: 3 }",
      "",
    ].join("\n");
    const run = await withConfig((yaml) => `${yaml}${scoping}`, ["sync", "--dry-run"]);
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(
      /leave scope \(would be deactivated\): 4 \(ada@contoso\.example, bob@contoso\.example, cy@contoso\.example, …\)/,
    );
    expect(run.stdout).toContain("  active changes for: 4");
    expect(run.stdout).toContain(
      "deletion guard: would HOLD 4 deactivations (4 deactivations exceed the threshold of 3)",
    );
  });

  it("writes nothing: the next cycle with the old config finds the state as it was, and is quiet", async () => {
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    // Quiet: the state file is the one the last cycle wrote (its quiet record still holds) and Entra did not change.
    expect(run.stderr).toMatch(/"mode":"quiet"/);
    expect(run.stdout).toContain("No changes.");
    expect(run.stdout).not.toContain("Impact of the configuration change");
  });
});
