import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

describe("entra-klaxoon-sync test-connection", () => {
  let env: AgentEnvironment;
  beforeAll(async () => {
    env = await startAgentEnvironment({ graph: { tenant: generateTenant({ seed: 2, users: 5 }) } });
  });
  afterAll(async () => env.close());

  it("exits 0 with OK on both sides when both answer", async () => {
    const run = await env.runAgent(["test-connection"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Graph\s+OK/m);
    expect(run.stdout).toMatch(/^Klaxoon\s+OK/m);
  });

  it("exits 3 and names the refused Secret Token, without printing it", async () => {
    await writeFile(join(env.dir, "klaxoon-token"), "not-the-token\n");
    const run = await env.runAgent(["test-connection"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^Klaxoon\s+FAILED.*Secret Token was refused/m);
    expect(run.stdout + run.stderr).not.toContain("not-the-token");
  });
});
