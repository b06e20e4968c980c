/**
 * The README's "Using it" commands work as written after `npm ci` (`npx entra-klaxoon-sync …`),
 * and `npm run emulators` prints the same invocation. Each command runs in this process against
 * the emulators, with the world's config in place of `config/config.yaml`.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { runAgentInProcess } from "../support/in-process-agent.js";

const ROOT = resolve(import.meta.dirname, "../..");
const INVOCATION = "npx entra-klaxoon-sync ";

function usingItCommands(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Using it\n"), readme.indexOf("\n### Configuration"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "");
}

describe("the README's commands", () => {
  let env: AgentEnvironment;
  beforeAll(async () => {
    env = await startAgentEnvironment({ graph: { tenant: generateTenant({ seed: 3, users: 20, groups: 2 }) } });
  });
  afterAll(async () => env.close());

  it("are all `npx entra-klaxoon-sync …`, like what `npm run emulators` prints", () => {
    const commands = usingItCommands();
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const command of commands) expect(command.startsWith(INVOCATION), command).toBe(true);
    const start = readFileSync(join(ROOT, "test", "emulators", "start.ts"), "utf8");
    expect(start).toContain(`  ${INVOCATION}sync --dry-run --config \${env.configPath}`);
    expect(start).not.toContain("tsx src/main");
  });

  it("run as written against the emulators, each exiting 0", async () => {
    for (const command of usingItCommands()) {
      const args = command.slice(INVOCATION.length).replace("config/config.yaml", env.configPath).split(/\s+/);
      const run = await runAgentInProcess(args, { ...process.env, GRAPH_CLIENT_SECRET: env.graph.clientSecret });
      expect(run.code, `${command}\n${run.stderr.slice(-2000)}`).toBe(0);
    }
    expect(env.klaxoon.store.countUsers()).toBeGreaterThan(0);
  });
});
