export { createLogger, REDACTED_PATHS, type Logger, type LoggerSettings } from "./logger.js";
export { ProvisioningLog, type ProvisioningRecord } from "./provisioning-log.js";
export { createProgress, type ProgressSink } from "./progress.js";
