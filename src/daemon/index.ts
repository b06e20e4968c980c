export { runDaemon, ADMIN_MUST_ACT, type DaemonDeps, type DaemonExit } from "./daemon.js";
export {
  daemonSchema,
  daemonSettings,
  DEFAULT_DAEMON_SETTINGS,
  IMMEDIATE_QUARANTINE_CODES,
  type DaemonSettings,
  type DaemonSettingsInput,
  type QuarantineSettings,
  type WebhookSettings,
  type HealthSettings,
} from "./settings.js";
export { systemClock, type Clock } from "./clock.js";
export { evaluateQuarantine, nextRetry, type QuarantineDecision, type QuarantineTransition, type QuarantineClock } from "./quarantine.js";
export { healthyState, parseQuarantineState, quarantineStateSchema, type QuarantineState, type QuarantineStatus, type QuarantineReason } from "./quarantine-state.js";
export { verdictOfResult, verdictOfError, type CycleVerdict } from "./cycle-verdict.js";
export { intervalSchedule, cronSchedule, scheduleOf, type Schedule } from "./schedule.js";
export { runScheduled, sleepUntil, type SchedulerOptions, type SchedulerStop, type CycleSlot } from "./scheduler.js";
export { createWebhookNotifier, renderWebhookBody, scrub, silentNotifier, type Notifier, type WebhookNotifierDeps } from "./notifier.js";
export { describeEvent, DAEMON_EVENT_TYPES, type DaemonEvent, type DaemonEventType } from "./events.js";
export { abortOnSignals, type SignalSource, type ShutdownHandle } from "./shutdown-signal.js";
export { createMetrics, type DaemonMetrics } from "./metrics.js";
export { startHealthServer, type HealthServer, type HealthServerOptions } from "./health-server.js";
export { initialHealth, readiness, type HealthStatus } from "./health-status.js";
export { assessCycleBudget, assessIntervalFloor, CYCLE_BUDGET_SHARE, type CycleBudgetInput, type CycleBudgetWarning, type IntervalFloorInput, type IntervalFloorWarning } from "./cycle-budget.js";
