export { emptyState, STATE_VERSION, type AgentState, type StateReadResult } from "./state-file.js";
export { openStateStore, type StateStore } from "./store.js";
export type { StateLock } from "./lock.js";
