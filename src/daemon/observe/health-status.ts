import type { QuarantineStatus } from "../quarantine/quarantine-state.js";

/** What /readyz reads; the daemon updates it after each cycle. */
export interface HealthStatus {
  configLoaded: boolean;
  lastCycle: "none" | "ok" | "fatal";
  lastErrorCode: string | null;
  quarantine: QuarantineStatus;
  lastSuccessAt: string | null;
  /** Set when the last cycle did not fit its interval (see cycle-budget.ts); ready all the same. */
  cycleBudgetWarning: string | null;
}

export function initialHealth(): HealthStatus {
  return {
    configLoaded: true,
    lastCycle: "none",
    lastErrorCode: null,
    quarantine: "healthy",
    lastSuccessAt: null,
    cycleBudgetWarning: null,
  };
}

/** Ready while the configuration is loaded, the last cycle did not end in a fatal error and the agent is not disabled. */
export function readiness(status: HealthStatus): { readonly ready: boolean; readonly reason: string } {
  if (!status.configLoaded) return { ready: false, reason: "configuration not loaded" };
  if (status.quarantine === "disabled")
    return { ready: false, reason: "disabled after quarantine: an administrator must act" };
  if (status.lastCycle === "fatal")
    return { ready: false, reason: `last cycle failed (${status.lastErrorCode ?? "unknown"})` };
  return {
    ready: true,
    reason: status.cycleBudgetWarning === null ? "ok" : `ok (warning: ${status.cycleBudgetWarning})`,
  };
}
