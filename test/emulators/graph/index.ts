export { startGraphEmulator } from "./start-graph-emulator.js";
export type { ClientCertificate, GraphEmulator, GraphEmulatorOptions } from "./start-graph-emulator.js";
export { GraphEmulatorAdmin, HTTP_ADMIN_OPERATIONS } from "./admin.js";
export type { FaultRule } from "./faults.js";
export { LEAST_PRIVILEGE, type GraphPermission } from "./identity.js";
export { normalisePath, type LoggedRequest, type RequestLog } from "./request-log.js";
export { TEST_CA_CERT_PATH, TEST_CA_DIR, ensureTestCa, type TestCa } from "./test-ca.js";
export type { StoredUser, TenantStore } from "./tenant-store.js";
export type { GraphEmulatorSettings, SoftDeleteMembership, SoftDeletedUserDelta } from "./settings.js";
