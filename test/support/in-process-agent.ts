/**
 * Runs a CLI command inside the test process, through the same `runCli` and concrete adapters
 * as `main.ts`: no child process per cycle, so long soaks stay fast. Errors the agent throws are
 * mapped as main.ts maps them: its own (SyncError and subclasses) become an exit code; anything
 * else is a bug and is rethrown for the test to fail on.
 */
import { Writable } from "node:stream";
import { EXIT, runCli, type ExitCode } from "../../src/cli/index.js";
import { buildAdapters } from "../../src/compose-adapters.js";
import { ConfigError, SyncError } from "../../src/model/index.js";

export interface InProcessRun {
  readonly code: ExitCode;
  readonly stdout: string;
  /** The agent's error, when it threw one of its own. */
  readonly error: SyncError | null;
}

export async function runAgentInProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<InProcessRun> {
  let stdout = "";
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      stdout += chunk.toString();
      callback();
    },
  });
  try {
    const code = await runCli(args, { stdout: sink, env, prettyLogs: false, progressTerminal: null, version: "test" }, buildAdapters);
    return { code, stdout, error: null };
  } catch (error) {
    if (!(error instanceof SyncError)) throw error;
    return { code: error instanceof ConfigError ? EXIT.config : EXIT.fatal, stdout, error };
  }
}
