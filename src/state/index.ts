export { readState, writeState, emptyState, STATE_VERSION, type AgentState, type StateReadResult } from "./state-file.js";
export { lockState, type StateLock } from "./lock.js";
