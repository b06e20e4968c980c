/**
 * Runs a CLI command inside the test process, through `runAgent`, the entry the executable
 * (src/main/bin.ts) runs: the same composition, the same top-level catch, the same exit codes.
 * No child process per run, so end-to-end tests and long soaks stay fast. Output is collected
 * as the process's stdout and stderr would be.
 */
import { Writable } from "node:stream";
import type { ExitCode } from "../../src/cli/index.js";
import { runAgent } from "../../src/main/run-agent.js";
import { systemClock, type Clock } from "../../src/model/index.js";

export interface InProcessRun {
  readonly code: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
  /** The error line the entry printed (`entra-klaxoon-sync: error [CODE]: message`), if any. */
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface InProcessOptions {
  readonly clock?: Clock;
}

export async function runAgentInProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: InProcessOptions = {},
): Promise<InProcessRun> {
  const stdout = collector();
  const stderr = collector();
  const code = await runAgent(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    terminal: null,
    env,
    version: "test",
    clock: options.clock ?? systemClock,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text(), error: errorLine(stderr.text()) };
}

/** A bug (`unexpected error (please report it)`) counts as an error too, with code UNEXPECTED. */
function errorLine(stderr: string): InProcessRun["error"] {
  // The entry writes it last, and a message may run over several lines.
  const start = stderr.startsWith("entra-klaxoon-sync: ") ? 0 : stderr.indexOf("\nentra-klaxoon-sync: ") + 1;
  if (start === 0 && !stderr.startsWith("entra-klaxoon-sync: ")) return null;
  const line = stderr.slice(start).trimEnd();
  const ours = /^entra-klaxoon-sync: error \[([A-Z0-9_]+)\]: (.*)$/s.exec(line);
  return ours ? { code: ours[1] ?? "", message: ours[2] ?? "" } : { code: "UNEXPECTED", message: line };
}

function collector(): { readonly stream: Writable; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join("") };
}
