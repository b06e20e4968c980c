/**
 * How much a person at a terminal (and a log pipeline) reads for the demo cycle at `info`: at
 * most one line per written object plus a handful per cycle. It was ~40 lines per object at a
 * terminal (8,264 lines for 188 operations), pino-pretty printing each record's fields one per line.
 */
import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAgent } from "../../src/main/run-agent.js";
import { systemClock } from "../../src/model/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";

/**
 * Lines a cycle may show besides one per written object and one per plan warning: started, no
 * state file yet, read Entra, read Klaxoon, finished, and the progress line's last state.
 */
const PER_CYCLE = 6;

function collector(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => text };
}

/** The demo's world (`npm run demo`): 400 users and 8 groups, seed 42, the PRO group first. */
async function demoWorld(): Promise<AgentEnvironment> {
  const tenant = generateTenant({ seed: 42, users: 400, groups: 8 });
  tenant.groups[0] = {
    ...(tenant.groups[0] as (typeof tenant.groups)[number]),
    displayName: "Klaxoon PRO",
    securityEnabled: true,
  };
  return startAgentEnvironment({ graph: { tenant, checkTrust: false } });
}

async function sync(env: AgentEnvironment, terminal: boolean) {
  const stdout = collector();
  const stderr = new PassThrough();
  let text = "";
  stderr.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const tty = Object.assign(stderr, { isTTY: true, columns: 120 }) as unknown as NodeJS.WriteStream;
  const code = await runAgent(["sync", "--config", env.configPath], {
    stdout: stdout.stream,
    stderr,
    terminal: terminal ? tty : null,
    env: { ...process.env, GRAPH_CLIENT_SECRET: env.graph.clientSecret },
    version: "test",
    clock: systemClock,
  });
  const applied = /Applied: (\d+) succeeded, (\d+) failed/.exec(stdout.text());
  return {
    code,
    written: Number(applied?.[1] ?? 0) + Number(applied?.[2] ?? 0),
    warnings: Number(/Warnings \((\d+)\)/.exec(stdout.text())?.[1] ?? 0),
    lines: text.split("\n").filter((line) => line.trim() !== ""),
  };
}

describe("logs of the demo cycle at info", () => {
  let terminalWorld: AgentEnvironment;
  let pipeWorld: AgentEnvironment;
  beforeAll(async () => {
    [terminalWorld, pipeWorld] = await Promise.all([demoWorld(), demoWorld()]);
  });
  afterAll(async () => Promise.all([terminalWorld.close(), pipeWorld.close()]));

  it("at a terminal: one line per written object plus a handful, and the progress line", async () => {
    const run = await sync(terminalWorld, true);
    expect(run.code).toBe(0);
    expect(run.written).toBe(177);
    // Measured: 177 written objects, 6 REQUIRED_ATTRIBUTE_NULL warnings, 5 lines for the cycle, 1 of progress (189).
    expect(run.lines.length).toBeLessThanOrEqual(run.written + run.warnings + PER_CYCLE);
    expect(run.lines.filter((line) => line.includes("user create: ")).length).toBe(169);
    expect(run.lines.join("\n")).toContain("177/177 operations");
  });

  it("in a pipe (JSON lines): the same budget, and periodic progress records instead of the line", async () => {
    const run = await sync(pipeWorld, false);
    expect(run.code).toBe(0);
    expect(run.lines.length).toBeLessThanOrEqual(run.written + run.warnings + PER_CYCLE);
    const records = run.lines.map((line) => JSON.parse(line) as { provisioning?: unknown });
    expect(records.filter((record) => record.provisioning !== undefined).length).toBe(run.written);
  });
});
