export { loadConfig, revealSecrets, type AgentConfig, type GraphCredentialConfig } from "./load-config.js";
export { Secret } from "./secret.js";
export { GRAPH_DEFAULTS, KLAXOON_DEFAULTS } from "./defaults.js";
