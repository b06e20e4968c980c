export type { MappingDefinition, MappingSetDefinition } from "./definition.js";
export { compileMappings, type CompiledMapping, type CompiledMappingList, type CompiledMappingSet } from "./compile-mappings.js";
export { mapResource, type MappingOutcome, type MappingRuntime } from "./map-resource.js";
export { userSourceView, groupSourceView, stripGuestUpn, isVirtualAttribute } from "./source-view.js";
