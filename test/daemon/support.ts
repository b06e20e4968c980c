import { pino, type Logger } from "pino";
import type { ApplyReport } from "../../src/apply/apply-plan.js";
import type { OperationResult } from "../../src/apply/operation-result.js";
import type { CycleResult } from "../../src/cycle/index.js";
import type { Plan, PlanOperation } from "../../src/plan/types.js";

export interface CapturedLogger {
  readonly logger: Logger;
  readonly records: Array<Record<string, unknown>>;
  messages(): string[];
}

export function captureLogger(): CapturedLogger {
  const records: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: "debug" },
    { write: (line: string) => void records.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, records, messages: () => records.map((r) => String(r["msg"])) };
}

function plan(held = 0): Plan {
  const op = (i: number): PlanOperation => ({
    action: "deactivate",
    kind: "user",
    object: { sourceId: `s${i}`, targetId: `t${i}`, label: `user${i}@example.com` },
    reason: "unassigned",
    changes: [],
  });
  return {
    version: 3,
    createdAt: "2026-01-01T00:00:00.000Z",
    operations: [],
    held: Array.from({ length: held }, (_, i) => op(i)),
    protected: [],
    adoptions: [],
    warnings: [],
    guard: {
      held: held > 0,
      deactivations: held,
      reason: held > 0 ? `${held} deactivations above the limit of 5` : null,
    },
    counts: {},
  };
}

function results(
  succeeded: number,
  failed: number,
  failedStatus: OperationResult["status"] = "transient",
): OperationResult[] {
  const make = (i: number, status: OperationResult["status"]): OperationResult => ({
    operation: {
      action: "create",
      kind: "user",
      object: { sourceId: `s${i}`, targetId: null, label: `user${i}@example.com` },
      attributes: {},
    },
    status,
    httpStatus: status === "success" ? 201 : 503,
    message: status === "success" ? null : "Service Unavailable",
    targetId: status === "success" ? `t${i}` : null,
  });
  return [
    ...Array.from({ length: succeeded }, (_, i) => make(i, "success")),
    ...Array.from({ length: failed }, (_, i) => make(succeeded + i, failedStatus)),
  ];
}

export function successResult(operations = 3): CycleResult {
  const list = results(operations, 0);
  const report: ApplyReport = {
    results: list,
    created: [],
    succeeded: operations,
    failed: 0,
    deferred: [],
    escrows: {},
  };
  return { cycleId: "c-ok", outcome: "success", plan: plan(), report, onDemandSteps: null };
}

export function failuresResult(succeeded: number, failed: number): CycleResult {
  const report: ApplyReport = {
    results: results(succeeded, failed),
    created: [],
    succeeded,
    failed,
    deferred: [],
    escrows: escrowsOf(failed),
  };
  return { cycleId: "c-fail", outcome: "failures", plan: plan(), report, onDemandSteps: null };
}

export function heldResult(held: number): CycleResult {
  return {
    cycleId: "c-held",
    outcome: "held",
    plan: plan(held),
    report: { results: [], created: [], succeeded: 0, failed: 0, deferred: [], escrows: {} },
    onDemandSteps: null,
  };
}

function escrowsOf(count: number): ApplyReport["escrows"] {
  const entries: ApplyReport["escrows"] = {};
  for (let i = 0; i < count; i++)
    entries[`user:s${i}`] = {
      fingerprint: `f${i}`,
      attempts: 1,
      firstFailedAt: "2026-01-01T00:00:00.000Z",
      nextAttemptAt: "2026-01-01T01:00:00.000Z",
      lastError: { status: "transient", httpStatus: 503, message: "Service Unavailable" },
      permanent: false,
    };
  return entries;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
