import { writeFile } from "node:fs/promises";
import { Writable } from "node:stream";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tracingSettingsFrom } from "../../src/config/index.js";
import { noTracing } from "../../src/cycle/index.js";
import { createLogger } from "../../src/log/index.js";
import { createOtelTracing } from "../../src/main/otel-tracing.js";
import { tracingFor } from "../../src/main/tracing.js";
import type { SystemTrustConnection } from "../../src/net/index.js";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { hostPort, startForwardProxy } from "../support/forward-proxy.js";
import { watchAgent } from "../support/watch-agent.js";

const direct: SystemTrustConnection = { name: "OTLP collector", proxy: null, ca: null, caKey: null, urlKey: null };

/**
 * Issue 19, point 8: with OTEL_EXPORTER_OTLP_ENDPOINT set, a `sync` sends its spans over
 * OTLP/HTTP (here to a loopback receiver): one per cycle, per phase, per batch of writes,
 * nested, carrying counts and codes only.
 */
interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly attributes: readonly { key: string; value: Record<string, unknown> }[];
  readonly status?: { code?: number; message?: string };
}

interface Export {
  readonly path: string;
  readonly body: string;
  readonly service: string | undefined;
  readonly spans: OtlpSpan[];
}

/** Every attribute a span may carry: counts, modes, codes. */
const ALLOWED_KEY =
  /^(cycle\.(id|dry_run|on_demand|outcome)|entra\.(read_mode|users|groups|assignments)|klaxoon\.(users|groups)|plan\.(operations|held|warnings|guard_held|count\.(user|group)\.[A-Za-z]+)|apply\.(operations|succeeded|failed|deferred|phase|steps|results|status\.[a-z]+|http_status\.\d{3})|error\.type)$/;

describe("OpenTelemetry spans of a sync, exported over OTLP", () => {
  let env: AgentEnvironment;
  let receiver: Server;
  let receiverUrl = "";
  const exports: Export[] = [];
  const agentEnv: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = "";
      request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      request.on("end", () => {
        const data = JSON.parse(body) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: { stringValue?: string } }[] };
            scopeSpans: { spans: OtlpSpan[] }[];
          }[];
        };
        for (const resource of data.resourceSpans) {
          exports.push({
            path: request.url ?? "",
            body,
            service: resource.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue,
            spans: resource.scopeSpans.flatMap((scope) => scope.spans),
          });
        }
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const { port } = receiver.address() as AddressInfo;
    receiverUrl = `http://127.0.0.1:${port}/`;
    agentEnv["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiverUrl;
    env = await startAgentEnvironment({
      graph: { tenant: generateTenant({ seed: 8, users: 4, groups: 2 }) },
      env: agentEnv,
      extraConfig: "daemon:\n  intervalMinutes: 60\n  health: { host: 127.0.0.1, port: 0 }\n",
    });
  });
  afterAll(async () => {
    await env.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const spansOfRun = async (args: readonly string[]): Promise<{ code: number | null; spans: OtlpSpan[] }> => {
    exports.length = 0;
    const run = await env.runAgent(args);
    // The session's close flushed them: they are all here once the command has returned.
    expect(exports.length).toBeGreaterThan(0);
    for (const e of exports) {
      expect(e.path).toBe("/v1/traces");
      expect(e.service).toBe("entra-klaxoon-sync");
      expect(e.body).not.toContain(env.klaxoon.token);
      expect(e.body).not.toContain(env.graph.clientSecret);
      expect(e.body).not.toContain("@");
      expect(e.body).not.toContain(env.klaxoon.url);
    }
    return { code: run.code, spans: exports.flatMap((e) => e.spans) };
  };

  it("a dry run: the cycle, and under it reading Entra, mapping, reading Klaxoon and planning", async () => {
    const { code, spans } = await spansOfRun(["sync", "--dry-run"]);
    expect(code).toBe(0);
    const cycle = only(spans, "cycle");
    expect(cycle.parentSpanId ?? "").toBe("");
    expect(childrenOf(spans, cycle)).toEqual(["cycle.map", "cycle.plan", "cycle.read_entra", "cycle.read_klaxoon"]);
    expect(attributes(cycle)).toMatchObject({ "cycle.dry_run": true, "cycle.outcome": "dryRun" });
    expect(attributes(only(spans, "cycle.read_entra"))).toMatchObject({ "entra.read_mode": "full" });
    expect(Number(attributes(only(spans, "cycle.plan"))["plan.operations"])).toBeGreaterThan(0);
  });

  it("a real cycle adds applying, one span per batch of writes, and recording; attributes are counts and codes", async () => {
    const { code, spans } = await spansOfRun(["sync"]);
    expect(code).toBe(0);
    const cycle = only(spans, "cycle");
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([cycle.traceId]));
    expect(childrenOf(spans, cycle)).toEqual([
      "cycle.apply",
      "cycle.map",
      "cycle.plan",
      "cycle.read_entra",
      "cycle.read_klaxoon",
      "cycle.record",
    ]);
    const apply = only(spans, "cycle.apply");
    const batches = childrenOf(spans, apply);
    expect(batches).toContain("cycle.apply.users");
    for (const name of batches) expect(name).toMatch(/^cycle\.apply\.(users|groups|members|deactivations)$/);
    const users = attributes(only(spans, "cycle.apply.users"));
    expect(users).toMatchObject({ "apply.phase": "users", "apply.steps": users["apply.results"] });
    expect(users["apply.status.success"]).toBe(users["apply.results"]);
    expect(attributes(apply)["apply.failed"]).toBe(0);
    expect(attributes(cycle)["cycle.outcome"]).toBe("success");
    for (const span of spans) for (const key of Object.keys(attributes(span))) expect(key).toMatch(ALLOWED_KEY);
  });

  it("a failed cycle ends its spans as errors, with the error's code and not its message", async () => {
    const tokenFile = join(env.dir, "klaxoon-token");
    await writeFile(tokenFile, "not-the-token\n");
    try {
      const { code, spans } = await spansOfRun(["sync", "--full-read"]);
      expect(code).toBe(3);
      const cycle = only(spans, "cycle");
      expect(cycle.status).toMatchObject({ code: 2, message: "KLAXOON_UNAUTHORIZED" });
      expect(attributes(cycle)["error.type"]).toBe("KLAXOON_UNAUTHORIZED");
      // The phase that failed (the connection probe before reading Klaxoon) says so too.
      expect(only(spans, "cycle.read_klaxoon").status).toMatchObject({ code: 2 });
      expect(only(spans, "cycle.read_entra").status?.code ?? 0).not.toBe(2);
    } finally {
      await writeFile(tokenFile, `${env.klaxoon.token}\n`);
    }
  });

  it("exports through the outbound proxy, as a CONNECT tunnel to the collector", async () => {
    const proxy = await startForwardProxy();
    Object.assign(agentEnv, {
      HTTP_PROXY: proxy.url,
      NO_PROXY: `${hostPort(env.graph.url)},${hostPort(env.klaxoon.url)}`,
    });
    try {
      const { code } = await spansOfRun(["sync", "--dry-run"]);
      expect(code).toBe(0);
      expect(new Set(proxy.connects)).toEqual(new Set([hostPort(receiverUrl)]));
      expect(proxy.plainRequests).toEqual([]);
    } finally {
      delete agentEnv["HTTP_PROXY"];
      delete agentEnv["NO_PROXY"];
      await proxy.close();
    }
  });

  it("the daemon (run) exports a trace per cycle while it runs and flushes the rest on SIGTERM", async () => {
    exports.length = 0;
    const child = env.spawnAgent(["run"]);
    const { until, exited } = watchAgent(child);
    await until(/"msg":"cycle finished"/);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const spans = exports.flatMap((e) => e.spans);
    const cycle = only(spans, "cycle");
    expect(attributes(cycle)["cycle.outcome"]).toBe("success");
    // Nothing changed since the earlier syncs, which left Klaxoon settled: a quiet cycle.
    expect(childrenOf(spans, cycle)).toEqual(["cycle.quiet_check"]);
    expect(attributes(only(spans, "cycle.quiet_check"))).toMatchObject({ "entra.unchanged": true });
  });

  it("without an OTLP endpoint the cycle gets the no-op port and no SDK is loaded", async () => {
    const logger = createLogger({ level: "error", pretty: false, destination: process.stderr });
    const tracing = await tracingFor({}, direct, { logger, version: "test" });
    expect(tracing.withSpan).toBe(noTracing.withSpan);
    const disabled = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://x:4318", OTEL_SDK_DISABLED: "true" };
    expect(await tracingFor(disabled, direct, { logger, version: "t" })).toMatchObject({
      withSpan: noTracing.withSpan,
    });
  });

  it("an export that fails is one warning without the endpoint's credentials; the work goes on", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: "info", pretty: false, destination });
    const url = "https://user:otlp-pw@collector.example/v1/traces?token=q-secret";
    let exports = 0;
    const tracing = createOtelTracing(
      { tracesUrl: url, serviceName: "eks" },
      {
        logger,
        version: "t",
        connection: direct,
        exporter: {
          export: (_spans, done) => {
            exports++;
            done({ code: 1, error: new Error(`refused by ${url}`) });
          },
          shutdown: async () => undefined,
        },
      },
    );
    expect(await tracing.withSpan("cycle", {}, async () => 42)).toBe(42);
    await tracing.withSpan("cycle", {}, async () => undefined);
    await tracing.shutdown();
    expect(exports).toBeGreaterThan(0);
    const warnings = lines.filter((line) => line.includes("spans could not be exported"));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? "{}")).toMatchObject({
      level: 40,
      endpoint: "https://collector.example/v1/traces",
      error: "refused by https://collector.example/v1/traces",
    });
    expect(lines.join("")).not.toMatch(/otlp-pw|q-secret/);
  });

  it("reads the standard variables: the traces endpoint as it is, the base with /v1/traces, the service name", () => {
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })).toEqual({
      tracesUrl: "http://collector:4318/v1/traces",
      serviceName: "entra-klaxoon-sync",
    });
    expect(
      tracingSettingsFrom({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://ignored:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://collector.example/otlp/traces",
        OTEL_SERVICE_NAME: "eks-contoso",
      }),
    ).toEqual({ tracesUrl: "https://collector.example/otlp/traces", serviceName: "eks-contoso" });
    expect(tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" })).toBe(
      null,
    );
    expect(() => tracingSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4317" })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT: not an http:\/\/ or https:\/\/ URL/,
    );
  });
});

function only(spans: readonly OtlpSpan[], name: string): OtlpSpan {
  const found = spans.filter((s) => s.name === name);
  expect(found, `spans named ${name}`).toHaveLength(1);
  return found[0] as OtlpSpan;
}

function childrenOf(spans: readonly OtlpSpan[], parent: OtlpSpan): string[] {
  return spans
    .filter((s) => s.parentSpanId === parent.spanId)
    .map((s) => s.name)
    .sort();
}

function attributes(span: OtlpSpan): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of span.attributes) {
    const v = value["stringValue"] ?? value["boolValue"] ?? value["intValue"] ?? value["doubleValue"];
    out[key] = typeof v === "string" && "intValue" in value ? Number(v) : (v as string | number | boolean);
  }
  return out;
}
