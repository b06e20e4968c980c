export { compileMappings, type CompiledMappingList, type CompiledMappingSet } from "./compile-mappings.js";
export { mapResource, type MappingRuntime } from "./map-resource.js";
export { userSourceView, groupSourceView, isVirtualAttribute } from "./source-view.js";
export { traceMappings, type MappingTrace } from "./trace-mappings.js";
