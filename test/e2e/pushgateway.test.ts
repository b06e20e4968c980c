import { writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { runNode, startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { hostPort, startForwardProxy } from "../support/forward-proxy.js";

/**
 * Issue 19, point 6: `sync` pushes the daemon's metrics to a Pushgateway (here a loopback
 * receiver that records every request) at the end of each real cycle, failed ones included;
 * a dry run pushes nothing; a Pushgateway that refuses is a warning, never a failed run.
 */
interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const PASSWORD = "push-s3cret-pw";

describe("metrics pushed at the end of a one-shot sync", () => {
  let env: AgentEnvironment;
  let receiver: Server;
  const received: Received[] = [];
  let answer = { status: 200, body: "" };
  let plannedCreates = 0;
  let gatewayUrl = "";
  const agentEnv: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = "";
      request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      request.on("end", () => {
        received.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers, body });
        response.writeHead(answer.status).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const { port } = receiver.address() as AddressInfo;
    gatewayUrl = `http://127.0.0.1:${port}/`;
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 19, users: 4, groups: 1 }) },
      env: agentEnv,
      extraConfig: [
        "metrics:",
        "  pushgateway:",
        `    url: http://pusher:${PASSWORD}@127.0.0.1:${port}/`,
        "    job: eks-cron",
        "    groupingLabels: { env: test, site: paris }",
        "    timeoutSeconds: 2",
        "",
      ].join("\n"),
    });
  });
  afterAll(async () => {
    await env.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it("a dry run pushes nothing: it would replace the real job's metrics", async () => {
    const run = await env.runAgent(["sync", "--dry-run"]);
    expect(run.code).toBe(0);
    expect(received).toEqual([]);
    plannedCreates = Number(/Plan: (\d+) to create, /.exec(run.stdout)?.[1]);
    expect(plannedCreates).toBeGreaterThan(0);
  });

  it("a successful cycle pushes (POST) the daemon's metrics, with its last success, to /metrics/job/<job>/<label>/<value>", async () => {
    const before = Date.now() / 1000;
    const run = await env.runAgent(["sync"]);
    expect(run.code).toBe(0);
    expect(received).toHaveLength(1);
    const push = received[0] as Received;
    expect(push.method).toBe("POST");
    expect(push.path).toBe("/metrics/job/eks-cron/env/test/site/paris");
    expect(push.headers.authorization).toBe(`Basic ${Buffer.from(`pusher:${PASSWORD}`).toString("base64")}`);
    expect(push.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(push.body);
    expect(samples.get('entra_klaxoon_sync_cycle_duration_seconds_count{outcome="success"}')).toBe(1);
    expect(samples.get('entra_klaxoon_sync_objects_total{kind="user",action="create",outcome="success"}')).toBe(
      plannedCreates,
    );
    expect(samples.get('entra_klaxoon_sync_scim_requests_total{status="201"}')).toBeGreaterThanOrEqual(plannedCreates);
    expect(samples.get('entra_klaxoon_sync_graph_requests_total{status="200"}')).toBeGreaterThan(0);
    expect(samples.get("entra_klaxoon_sync_escrow_size")).toBe(0);
    const lastSuccess = samples.get("entra_klaxoon_sync_last_success_timestamp_seconds") ?? 0;
    expect(lastSuccess).toBeGreaterThanOrEqual(Math.floor(before));
    expect(lastSuccess).toBeLessThanOrEqual(Date.now() / 1000);
    // A one-shot run keeps no quarantine: it does not claim one.
    expect(push.body).not.toContain("quarantine_state");
  });

  it("a failed cycle pushes its outcome and leaves the last success out, so POST keeps the previous one", async () => {
    received.length = 0;
    const tokenFile = join(env.dir, "klaxoon-token");
    await writeFile(tokenFile, "not-the-token\n");
    try {
      const run = await env.runAgent(["sync"]);
      expect(run.code).toBe(3);
    } finally {
      await writeFile(tokenFile, `${env.klaxoon.token}\n`);
    }
    expect(received).toHaveLength(1);
    const push = received[0] as Received;
    expect(push.method).toBe("POST");
    const samples = parseExposition(push.body);
    expect(samples.get('entra_klaxoon_sync_cycle_duration_seconds_count{outcome="error"}')).toBe(1);
    expect(samples.get('entra_klaxoon_sync_scim_requests_total{status="401"}')).toBeGreaterThan(0);
    expect(push.body).not.toContain("last_success_timestamp_seconds");
  });

  it("a Pushgateway that refuses is a warning without the URL's credentials; the exit code stays the cycle's", async () => {
    received.length = 0;
    answer = { status: 500, body: `cannot store, password was ${PASSWORD}` };
    try {
      const run = await env.runAgent(["sync"]);
      expect(run.code).toBe(0);
      expect(received).toHaveLength(1);
      const warning = run.stderr.split("\n").find((line) => line.includes("metrics push failed"));
      expect(warning).toBeDefined();
      expect(JSON.parse(warning ?? "{}")).toMatchObject({
        level: 40,
        pushgateway: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
        error: expect.stringContaining("500"),
      });
      expect(run.stderr).not.toContain(PASSWORD);
    } finally {
      answer = { status: 200, body: "" };
    }
  });

  it("pushes through the outbound proxy, as a CONNECT tunnel, and names a refusing proxy in the warning", async () => {
    const withProxy = async (options: { refuse?: boolean }) => {
      const proxy = await startForwardProxy(options);
      // Graph and Klaxoon go direct: the tunnels counted are the push's.
      Object.assign(agentEnv, {
        HTTP_PROXY: proxy.url,
        NO_PROXY: `${hostPort(env.graph.url)},${hostPort(env.klaxoon.url)}`,
      });
      received.length = 0;
      try {
        return { run: await env.runAgent(["sync"]), connects: [...proxy.connects], proxyUrl: proxy.url };
      } finally {
        delete agentEnv["HTTP_PROXY"];
        delete agentEnv["NO_PROXY"];
        await proxy.close();
      }
    };
    const accepted = await withProxy({});
    expect(accepted.run.code).toBe(0);
    expect(accepted.connects).toEqual([hostPort(gatewayUrl)]);
    expect(received).toHaveLength(1);
    expect(accepted.run.stderr).not.toContain("metrics push failed");

    const refused = await withProxy({ refuse: true });
    expect(refused.run.code).toBe(0);
    expect(received).toEqual([]);
    const warning = refused.run.stderr.split("\n").find((line) => line.includes("metrics push failed"));
    expect(JSON.parse(warning ?? "{}")).toMatchObject({
      level: 40,
      proxy: `${refused.proxyUrl} (from HTTP_PROXY)`,
      error: expect.stringContaining("407"),
    });
    expect(refused.run.stderr).not.toContain(PASSWORD);
  });
});

/**
 * The Prometheus text format (0.0.4), strictly: HELP and TYPE lines, then samples of a declared
 * family (`_bucket`, `_sum`, `_count` for histograms). Returns every sample by name and labels.
 */
function parseExposition(body: string): Map<string, number> {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  expect(body.endsWith("\n")).toBe(true);
  for (const line of body.split("\n")) {
    if (line === "") continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      if (comment[1] === "TYPE") {
        expect(comment[3]).toMatch(/^(counter|gauge|histogram|summary|untyped)$/);
        types.set(comment[2] ?? "", comment[3] ?? "");
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$/.exec(
      line,
    );
    expect(sample, `not a sample line: ${line}`).not.toBeNull();
    const name = sample?.[1] ?? "";
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, "");
    expect(types.has(family), `sample of an undeclared family: ${line}`).toBe(true);
    const value = Number(sample?.[3]);
    expect(Number.isNaN(value) && sample?.[3] !== "NaN").toBe(false);
    samples.set(`${name}${sample?.[2] ?? ""}`, value);
  }
  return samples;
}

describe("the push on Node releases that deprecate url.parse() at run time", () => {
  it("prints no DEP0169 warning (prom-client's Pushgateway uses url.parse; bundled, Node 24 would warn)", async () => {
    const code = `
      import { createServer } from "node:http";
      import { Registry } from "prom-client";
      import { pushMetrics } from "./src/daemon/observe/pushgateway.ts";
      import { createLogger } from "./src/log/index.ts";
      const server = createServer((q, r) => { q.resume(); q.on("end", () => r.end()); });
      await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
      const url = "http://127.0.0.1:" + server.address().port;
      const logger = createLogger({ level: "debug", pretty: false, destination: process.stdout });
      const connection = { name: "Pushgateway", proxy: null, ca: null, caKey: null, urlKey: null };
      await pushMetrics(new Registry(), { url, job: "x", groupingLabels: {}, timeoutSeconds: 2 }, { logger, lastSuccess: true, connection });
      server.close();`;
    // --pending-deprecation makes Node 20 and 22 emit what Node 24 emits for code outside node_modules.
    const run = await runNode(
      ["--pending-deprecation", "--import", "tsx", "--input-type=module", "-e", code],
      process.env,
    );
    expect(run.stdout).toContain("metrics pushed");
    expect(run.stderr).not.toContain("DEP0169");
    expect(run.code).toBe(0);
  });
});
