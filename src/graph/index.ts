export { createCredential, type CredentialOptions } from "./create-credential.js";
export { createGraphClient } from "./create-graph-client.js";
export { createGraphDeltaReader, type GraphDeltaReader } from "./create-delta-reader.js";
export type { DeltaChange, DeltaRound, DeltaStart } from "./read-delta.js";
export { GraphApi, type BatchRequestItem } from "./graph-api.js";
export { GraphReadError, type GraphFailureKind } from "./graph-errors.js";
export type { GraphLogger } from "./logger.js";
export { createGraphDirectoryReader, type ReaderHooks } from "./read-snapshot.js";
export type { Sleep } from "./retry-middleware.js";
export {
  DEFAULT_AUTHORITY_HOST, DEFAULT_GRAPH_ENDPOINT, MICROSOFT_AUTHORITY_HOSTS, type GraphCredentialSettings, type GraphSettings,
} from "./settings.js";
export {
  createIncrementalDirectoryReader, DEFAULT_FULL_READ_INTERVAL_HOURS, type IncrementalReaderHooks,
} from "./create-incremental-reader.js";
