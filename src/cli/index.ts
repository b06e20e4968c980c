export { runCli } from "./run-cli.js";
export type { AgentSession, Composition } from "./composition.js";
export type { ConnectionProbes, ProbeResult } from "./test-connection.js";
export { EXIT, type ExitCode } from "./exit-codes.js";
