export { emptyState, type AgentState } from "./state-file.js";
export { openStateStore, type StateStore } from "./store.js";
export type { StateLock } from "./lock.js";
export type { QuietRecord } from "./quiet-file.js";
