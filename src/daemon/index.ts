export { runDaemon } from "./daemon.js";
export { parseQuarantineState, type QuarantineState } from "./quarantine/quarantine-state.js";
export { abortOnSignals } from "./schedule/shutdown-signal.js";
export { assessIntervalFloor } from "./schedule/cycle-budget.js";
export { createWebhookNotifier } from "./observe/notifier.js";
export { createMetrics, type DaemonMetrics } from "./observe/metrics.js";
export { startHealthServer } from "./observe/health-server.js";
export { initialHealth } from "./observe/health-status.js";
export { createOneShotMetrics, type OneShotMetrics } from "./observe/pushgateway.js";
