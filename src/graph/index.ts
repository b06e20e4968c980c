export { createCredential } from "./client/create-credential.js";
export { createGraphClient } from "./client/create-graph-client.js";
export { GraphApi } from "./client/graph-api.js";
export type { GraphLogger } from "./client/logger.js";
export type { GraphCredentialSettings, GraphSettings } from "./settings.js";
export { createIncrementalDirectoryReader } from "./incremental-reader.js";
