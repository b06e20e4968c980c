export { loadConfig, revealSecrets, type AgentConfig, type GraphCredentialConfig } from "./load-config.js";
export { Secret } from "./secret.js";
export {
  daemonSchema,
  daemonSettings,
  DAEMON_EVENT_TYPES,
  DEFAULT_DAEMON_SETTINGS,
  IMMEDIATE_QUARANTINE_CODES,
  type DaemonSettings,
  type DaemonSettingsInput,
  type QuarantineSettings,
  type WebhookSettings,
  type HealthSettings,
} from "./daemon-schema.js";
