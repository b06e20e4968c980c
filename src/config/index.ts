export { loadConfig, revealSecrets, type AgentConfig, type ProxyConfig, type TlsConfig } from "./load-config.js";
export { Secret } from "./secret.js";
export {
  DAEMON_EVENT_TYPES,
  type DaemonSettings,
  type QuarantineSettings,
  type WebhookSettings,
} from "./daemon-schema.js";
export {
  GRAPH_DEFAULTS,
  GRAPH_FIXED_SETTINGS,
  KLAXOON_DEFAULTS,
  KLAXOON_FIXED_SETTINGS,
  METRICS_DEFAULTS,
} from "./defaults.js";
export type { PushgatewaySettings } from "./schema.js";
export { DEFAULT_SERVICE_NAME, tracingSettingsFrom, type TracingSettings } from "./tracing-env.js";
