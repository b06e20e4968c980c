export { createScimClient, type ScimClient, type ScimClientDeps } from "./create-scim-client.js";
export type { ScimClientSettings } from "./settings.js";
export type { ReadResult } from "./read/read-result.js";
export { connectionVerdict } from "./read/connection-check.js";
