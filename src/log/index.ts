export { createLogger, type Logger } from "./logger.js";
export { ProvisioningLog, type ProvisioningRecord } from "./provisioning-log.js";
export { createProgress, type ProgressSink } from "./progress.js";
