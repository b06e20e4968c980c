/**
 * The agent's one entry: what the executable runs, and what in-process tests run. It holds the
 * one top-level catch that turns what is left of an error into a clear message and an exit code.
 */
import { EXIT, runCli, type ExitCode } from "../cli/index.js";
import { ConfigError, FatalError, PlanRefusedError, SyncError } from "../model/index.js";
import { composeAgent, type CompositionIo } from "./compose.js";

export interface AgentIo extends CompositionIo {
  readonly stdout: NodeJS.WritableStream;
}

export async function runAgent(argv: readonly string[], io: AgentIo): Promise<ExitCode> {
  try {
    return await runCli(argv, io, composeAgent(io));
  } catch (error) {
    io.stderr.write(`entra-klaxoon-sync: ${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof ConfigError) return EXIT.config;
  if (error instanceof PlanRefusedError) return EXIT.planRefused;
  if (error instanceof FatalError || error instanceof SyncError) return EXIT.fatal;
  return EXIT.unexpected;
}

function describeError(error: unknown): string {
  if (error instanceof SyncError) return `error [${error.code}]: ${error.message}`;
  // Not one of ours: a bug. Say so, with the stack, which is what a bug report needs.
  return `unexpected error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
