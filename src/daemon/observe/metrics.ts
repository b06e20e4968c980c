import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CycleResult } from "../../cycle/index.js";
import { WARNING_CODES } from "../../model/index.js";
import type { QuarantineStatus } from "../quarantine/quarantine-state.js";

const PREFIX = "entra_klaxoon_sync_";
const QUARANTINE_STATUSES: readonly QuarantineStatus[] = ["healthy", "quarantined", "disabled"];

/**
 * Our own registry (never prom-client's global one), so tests and several agents in one
 * process do not share counters. Adapters get the `count*` functions, not the registry.
 */
export interface DaemonMetrics {
  readonly registry: Registry;
  observeCycle(outcome: string, seconds: number): void;
  countObject(kind: string, action: string, outcome: string): void;
  /** One SCIM request answered with `status` (an HTTP status, or "error" when none came back). */
  countScimRequest(status: number | "error"): void;
  countGraphRequest(status: number | "error"): void;
  setEscrowSize(size: number): void;
  setQuarantine(status: QuarantineStatus): void;
  setLastSuccess(at: Date): void;
  /** One leaver-lane pass by outcome (a cycle outcome, `skipped` or `error`). */
  countLanePass(outcome: string): void;
  /** Counts every operation of a cycle's report, by kind, action and outcome. */
  recordCycle(result: CycleResult, seconds: number): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

/** What a protect: rule can withhold: everything but creates and member additions. */
const PROTECTABLE_ACTIONS = ["update", "reactivate", "deactivate", "removeMembers"] as const;

export function createMetrics(): DaemonMetrics {
  const registry = new Registry();
  const registers = [registry];
  const duration = new Histogram({
    name: `${PREFIX}cycle_duration_seconds`,
    help: "Duration of provisioning cycles, by outcome.",
    labelNames: ["outcome"] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200],
    registers,
  });
  const objects = new Counter({
    name: `${PREFIX}objects_total`,
    help: "Provisioning operations, by resource kind, action and outcome.",
    labelNames: ["kind", "action", "outcome"] as const,
    registers,
  });
  const scim = new Counter({
    name: `${PREFIX}scim_requests_total`,
    help: "SCIM requests to Klaxoon, by HTTP status.",
    labelNames: ["status"] as const,
    registers,
  });
  const graph = new Counter({
    name: `${PREFIX}graph_requests_total`,
    help: "Microsoft Graph requests, by HTTP status.",
    labelNames: ["status"] as const,
    registers,
  });
  const throttled = new Counter({
    name: `${PREFIX}throttled_total`,
    help: "HTTP 429 answers, by service.",
    labelNames: ["service"] as const,
    registers,
  });
  const drift = new Counter({
    name: `${PREFIX}drift_repairs_total`,
    help: "Changes made in Klaxoon by hand that a cycle repaired, by resource kind and action.",
    labelNames: ["kind", "action"] as const,
    registers,
  });
  const escrow = new Gauge({
    name: `${PREFIX}escrow_size`,
    help: "Operations in escrow: failed, waiting for a retry in a later cycle.",
    registers,
  });
  const quarantine = new Gauge({
    name: `${PREFIX}quarantine_state`,
    help: "1 for the agent's current quarantine status, 0 for the others.",
    labelNames: ["status"] as const,
    registers,
  });
  const warnings = new Gauge({
    name: `${PREFIX}plan_warnings`,
    help: "Warnings in the last cycle's plan, by code: each stays until its cause is fixed in Entra or Klaxoon.",
    labelNames: ["code"] as const,
    registers,
  });
  const protectedOperations = new Gauge({
    name: `${PREFIX}protected_operations`,
    help: "Operations a protect: rule kept out of the last cycle's plan, by action (a deactivation is also a PROTECTED_ACCOUNT warning).",
    labelNames: ["action"] as const,
    registers,
  });
  const lanePasses = new Counter({
    name: `${PREFIX}leaver_lane_passes_total`,
    help: "Leaver fast-lane passes by outcome (success, failures, held, skipped: no usable delta checkpoint, error).",
    labelNames: ["outcome"] as const,
    registers,
  });
  const lastSuccess = new Gauge({
    name: `${PREFIX}last_success_timestamp_seconds`,
    help: "Unix time at which the last successful cycle finished.",
    registers,
  });
  throttled.inc({ service: "scim" }, 0);
  throttled.inc({ service: "graph" }, 0);

  const metrics: DaemonMetrics = {
    registry,
    contentType: registry.contentType,
    observeCycle: (outcome, seconds) => duration.observe({ outcome }, seconds),
    countObject: (kind, action, outcome) => objects.inc({ kind, action, outcome }),
    countScimRequest(status) {
      scim.inc({ status: String(status) });
      if (status === 429) throttled.inc({ service: "scim" });
    },
    countGraphRequest(status) {
      graph.inc({ status: String(status) });
      if (status === 429) throttled.inc({ service: "graph" });
    },
    setEscrowSize: (size) => escrow.set(size),
    countLanePass: (outcome) => lanePasses.inc({ outcome }),
    setQuarantine(status) {
      for (const s of QUARANTINE_STATUSES) quarantine.set({ status: s }, s === status ? 1 : 0);
    },
    setLastSuccess: (at) => lastSuccess.set(at.getTime() / 1000),
    recordCycle(result, seconds) {
      metrics.observeCycle(result.outcome, seconds);
      warnings.reset();
      for (const code of WARNING_CODES)
        warnings.set({ code }, result.plan.warnings.filter((w) => w.code === code).length);
      protectedOperations.reset();
      for (const action of PROTECTABLE_ACTIONS)
        protectedOperations.set(
          { action },
          result.plan.protected.filter(({ operation }) => operation.action === action).length,
        );
      if (result.report === null) return;
      for (const r of result.report.results) {
        metrics.countObject(r.operation.kind, r.operation.action, r.status);
        if (r.operation.drift && r.status === "success")
          drift.inc({ kind: r.operation.kind, action: r.operation.action });
      }
      metrics.setEscrowSize(Object.keys(result.report.escrows).length);
    },
    render: async () => registry.metrics(),
  };
  metrics.setQuarantine("healthy");
  return metrics;
}
