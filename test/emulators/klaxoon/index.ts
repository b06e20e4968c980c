export { startKlaxoonEmulator } from "./start-klaxoon-emulator.js";
export type { KlaxoonEmulator, KlaxoonEmulatorOptions } from "./start-klaxoon-emulator.js";
export { KlaxoonFaults, type FaultRule, type RateLimit } from "./faults.js";
export { RequestLog, type LoggedRequest } from "./request-log.js";
export { KlaxoonStore, type Deactivation, type JsonObject } from "./store.js";
export { KLAXOON_GROUP_EXTENSION_URN } from "./klaxoon-schema.js";
export type { ExtensionSchemasPolicy } from "./normalise-request.js";
export * from "./support.js";
