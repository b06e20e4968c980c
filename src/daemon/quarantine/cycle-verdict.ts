import type { CycleResult } from "../../cycle/index.js";
import { ConfigError, SyncError } from "../../model/index.js";

/** What quarantine needs to know about one cycle: counts and codes, never objects or messages with data. */
export type CycleVerdict =
  | { readonly kind: "success" }
  /** The deletion guard held deactivations back: an administrator must act, but it is not a failure. */
  | { readonly kind: "held"; readonly held: number }
  | {
      readonly kind: "failures";
      readonly failed: number;
      readonly attempted: number;
      readonly byStatus: Readonly<Record<string, number>>;
    }
  | { readonly kind: "error"; readonly code: string; readonly message: string; readonly configError: boolean };

/**
 * Member additions and removals are reference operations: Entra leaves them out of the failure
 * ratio, and so do we. Skipped operations were never attempted.
 */
export function verdictOfResult(result: CycleResult): CycleVerdict {
  if (result.outcome === "held") return { kind: "held", held: result.plan.held.length };
  if (result.report === null) return { kind: "success" };
  const counted = result.report.results.filter(
    (r) => r.status !== "skipped" && r.operation.action !== "addMembers" && r.operation.action !== "removeMembers",
  );
  const byStatus: Record<string, number> = {};
  for (const r of result.report.results) if (r.status !== "success") byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const failed = counted.filter((r) => r.status !== "success").length;
  if (result.report.failed === 0) return { kind: "success" };
  return { kind: "failures", failed, attempted: counted.length, byStatus };
}

export function verdictOfError(error: unknown): CycleVerdict {
  if (error instanceof SyncError)
    return { kind: "error", code: error.code, message: error.message, configError: error instanceof ConfigError };
  return {
    kind: "error",
    code: "UNEXPECTED",
    message: error instanceof Error ? error.message : String(error),
    configError: false,
  };
}
