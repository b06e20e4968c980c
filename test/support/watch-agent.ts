import type { ChildProcessWithoutNullStreams } from "node:child_process";

export interface WatchedAgent {
  /** Everything the agent wrote to stderr so far (its JSON log). */
  stderr(): string;
  /** Waits (up to 30 s) until the log matches `pattern`; fails with the log otherwise. */
  until(pattern: RegExp): Promise<RegExpMatchArray>;
  /** The exit code once the process has closed. */
  readonly exited: Promise<number | null>;
}

/** Follows a long-running agent (`run`) through its log. */
export function watchAgent(child: ChildProcessWithoutNullStreams): WatchedAgent {
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.on("close", done));
  return {
    stderr: () => stderr,
    exited,
    async until(pattern) {
      for (let i = 0; i < 300; i += 1) {
        const match = pattern.exec(stderr);
        if (match) return match;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`timed out waiting for ${String(pattern)}; stderr:\n${stderr}`);
    },
  };
}
