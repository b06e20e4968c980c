export { runCli, type CliIo } from "./run-cli.js";
export type { Adapters, AdapterFactory, RequestObservers } from "./agent-session.js";
export { EXIT, type ExitCode } from "./exit-codes.js";
export { graphCredentialSettings } from "./graph-credential.js";
