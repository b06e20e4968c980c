export { createScimClient } from "./create-scim-client.js";
export type { ScimClient } from "./create-scim-client.js";
export type { ScimClientSettings, PatchDialect } from "./settings.js";
export type { ScimLogger } from "./execute-request.js";
export type { ServiceProviderInfo } from "./service-provider.js";
export { escapeFilterValue, eqFilter } from "./filter.js";
export { buildCreateBody } from "./build-resource.js";
export { buildPatchBody, buildMemberChangeBody, chunkMemberChange } from "./patch-body.js";
export { flattenResource } from "./flatten.js";
