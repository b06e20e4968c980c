export { runCli, type Adapters, type AdapterFactory, type CliIo } from "./run-cli.js";
export { EXIT, type ExitCode } from "./exit-codes.js";
