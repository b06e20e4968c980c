export { runCli, type CliIo } from "./run-cli.js";
export type { AgentSession, Composition, CycleOptions } from "./composition.js";
export type { ConnectionProbes, ProbeResult } from "./test-connection.js";
export { EXIT, type ExitCode } from "./exit-codes.js";
