import { afterEach, describe, expect, it } from "vitest";
import { request } from "undici";
import { createMetrics, initialHealth } from "../../src/daemon/index.js";
import { startHealthServer, type HealthServer } from "../../src/daemon/observe/health-server.js";
import type { PlanOperation, PlanWarning } from "../../src/plan/types.js";
import { captureLogger } from "./support.js";
import { emptyPlan } from "../support/empty-plan.js";

let server: HealthServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start() {
  const metrics = createMetrics();
  const health = initialHealth();
  server = await startHealthServer({
    host: "127.0.0.1",
    port: 0,
    status: () => health,
    metrics,
    logger: captureLogger().logger,
  });
  const get = async (path: string, method: "GET" | "HEAD" | "POST" = "GET") => {
    const res = await request(`${server!.url}${path}`, { method });
    return { status: res.statusCode, type: String(res.headers["content-type"]), body: await res.body.text() };
  };
  return { metrics, health, get };
}

describe("health server", () => {
  it("answers /healthz while alive", async () => {
    const { get } = await start();
    expect(await get("/healthz")).toMatchObject({ status: 200, body: "ok\n" });
    expect(server!.port).toBeGreaterThan(0);
  });

  it("answers /readyz 200 until a cycle ends in a fatal error, then 503 with the code", async () => {
    const { get, health } = await start();
    expect((await get("/readyz")).status).toBe(200);
    health.lastCycle = "fatal";
    health.lastErrorCode = "KLAXOON_UNAUTHORIZED";
    expect(await get("/readyz")).toMatchObject({ status: 503, body: "last cycle failed (KLAXOON_UNAUTHORIZED)\n" });
    health.lastCycle = "ok";
    health.quarantine = "disabled";
    expect((await get("/readyz")).status).toBe(503);
    health.quarantine = "healthy";
    health.configLoaded = false;
    expect((await get("/readyz")).status).toBe(503);
  });

  it("serves /metrics in the Prometheus text format from its own registry", async () => {
    const { get, metrics } = await start();
    metrics.countScimRequest(201);
    metrics.countScimRequest(429);
    metrics.countGraphRequest(200);
    metrics.countGraphRequest("error");
    metrics.setEscrowSize(3);
    metrics.observeCycle("success", 12.5);
    const res = await get("/metrics");
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const [name, type] of [
      ["entra_klaxoon_sync_cycle_duration_seconds", "histogram"],
      ["entra_klaxoon_sync_objects_total", "counter"],
      ["entra_klaxoon_sync_scim_requests_total", "counter"],
      ["entra_klaxoon_sync_graph_requests_total", "counter"],
      ["entra_klaxoon_sync_throttled_total", "counter"],
      ["entra_klaxoon_sync_drift_repairs_total", "counter"],
      ["entra_klaxoon_sync_escrow_size", "gauge"],
      ["entra_klaxoon_sync_quarantine_state", "gauge"],
      ["entra_klaxoon_sync_last_success_timestamp_seconds", "gauge"],
    ]) {
      expect(res.body).toContain(`# HELP ${name} `);
      expect(res.body).toContain(`# TYPE ${name} ${type}`);
    }
    expect(res.body).toContain('entra_klaxoon_sync_scim_requests_total{status="429"} 1');
    expect(res.body).toContain('entra_klaxoon_sync_throttled_total{service="scim"} 1');
    expect(res.body).toContain('entra_klaxoon_sync_throttled_total{service="graph"} 0');
    expect(res.body).toContain('entra_klaxoon_sync_graph_requests_total{status="error"} 1');
    expect(res.body).toContain("entra_klaxoon_sync_escrow_size 3");
    expect(res.body).toContain('entra_klaxoon_sync_cycle_duration_seconds_bucket{le="15",outcome="success"} 1');
    expect(res.body).toContain('entra_klaxoon_sync_quarantine_state{status="healthy"} 1');
    expect(res.body).not.toContain("process_cpu"); // not prom-client's global default registry
  });

  it("counts drift repairs that succeeded, by kind and action", async () => {
    const metrics = createMetrics();
    const op = (drift: boolean): PlanOperation => ({
      action: "update",
      kind: "user",
      object: { sourceId: "s", targetId: "t", label: "ada" },
      changes: [{ path: "title", from: "x", to: "y" }],
      ...(drift ? { drift: true as const } : {}),
    });
    const result = (operation: PlanOperation, status: "success" | "transient") => ({
      operation,
      status,
      httpStatus: null,
      message: null,
      targetId: "t",
    });
    const results = [
      result(op(true), "success"),
      result(op(true), "success"),
      result(op(true), "transient"),
      result(op(false), "success"),
    ];
    const plan = emptyPlan({ operations: results.map((r) => r.operation) });
    metrics.recordCycle(
      {
        cycleId: "c",
        outcome: "failures",
        plan,
        report: { results, created: [], succeeded: 3, failed: 1, deferred: [], escrows: {} },
      },
      1,
    );
    expect(await metrics.render()).toContain('entra_klaxoon_sync_drift_repairs_total{kind="user",action="update"} 2');
  });

  it("shows the last plan's warnings by code, and drops them once a plan has none", async () => {
    const metrics = createMetrics();
    const warning: PlanWarning = {
      code: "REQUIRED_ATTRIBUTE_NULL",
      kind: "user",
      label: "nosurname",
      message: "not created",
      sourceId: "s1",
      since: "2026-12-01T00:00:00.000Z",
    };
    const plan = (warnings: readonly PlanWarning[]) => emptyPlan({ warnings });
    metrics.recordCycle(
      { cycleId: "c1", outcome: "dryRun", plan: plan([warning, { ...warning, sourceId: "s2" }]), report: null },
      1,
    );
    expect(await metrics.render()).toContain('entra_klaxoon_sync_plan_warnings{code="REQUIRED_ATTRIBUTE_NULL"} 2');
    metrics.recordCycle({ cycleId: "c2", outcome: "dryRun", plan: plan([]), report: null }, 1);
    expect(await metrics.render()).toContain('entra_klaxoon_sync_plan_warnings{code="REQUIRED_ATTRIBUTE_NULL"} 0');
  });

  it("keeps two agents' metrics apart", async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.countScimRequest(200);
    expect(await b.render()).not.toContain('scim_requests_total{status="200"}');
  });

  it("answers 404 elsewhere, 405 for other methods, and HEAD without a body", async () => {
    const { get } = await start();
    expect((await get("/nope")).status).toBe(404);
    expect((await get("/healthz", "POST")).status).toBe(405);
    expect(await get("/healthz", "HEAD")).toMatchObject({ status: 200, body: "" });
  });
});
