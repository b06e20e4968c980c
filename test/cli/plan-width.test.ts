/** The plan's lines at a terminal are cut to its width; in a pipe they are whole. */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAgent } from "../../src/main/run-agent.js";
import { systemClock } from "../../src/model/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

function output(isTTY: boolean): { stream: NodeJS.WritableStream; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream: Object.assign(stream, { isTTY, columns: 70 }), text: () => text };
}

describe("the plan at a terminal", () => {
  let env: AgentEnvironment;
  beforeAll(async () => {
    env = await startAgentEnvironment({ graph: { tenant: generateTenant({ seed: 9, users: 30, groups: 2 }) } });
  });
  afterAll(async () => env.close());

  const dryRun = async (isTTY: boolean): Promise<string[]> => {
    const stdout = output(isTTY);
    const code = await runAgent(["sync", "--dry-run", "--config", env.configPath], {
      stdout: stdout.stream,
      stderr: output(false).stream,
      terminal: null,
      env: { ...process.env, GRAPH_CLIENT_SECRET: env.graph.clientSecret },
      version: "test",
      clock: systemClock,
    });
    expect(code).toBe(0);
    return stdout.text().split("\n");
  };

  it("cuts object lines to the terminal's columns, and leaves them whole in a pipe", async () => {
    const objects = (lines: string[]) => lines.filter((line) => line.startsWith("  + "));
    const tty = objects(await dryRun(true));
    expect(tty.length).toBeGreaterThan(0);
    for (const line of tty) expect([...line].length).toBeLessThanOrEqual(70);
    expect(tty.some((line) => line.endsWith("…"))).toBe(true);
    const pipe = objects(await dryRun(false));
    expect(pipe.some((line) => [...line].length > 70)).toBe(true);
    // A member list names its first 10 and ends ", …"; no line is cut.
    expect(pipe.some((line) => line.endsWith("…") && !line.endsWith(", …"))).toBe(false);
  });
});
