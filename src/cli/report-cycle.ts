import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import type { CycleResult } from "../cycle/index.js";
import { planTextLines, renderImpact, serialisePlan, summariseImpact } from "../plan/index.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { renderOnDemand } from "./render-on-demand.js";

/** The plan (or on-demand steps) on stdout, as text or JSON, and optionally in a plan file. */
export async function reportCycle(
  result: CycleResult,
  output: "text" | "json",
  planFile: string | undefined,
  stdout: NodeJS.WritableStream,
): Promise<void> {
  if (planFile !== undefined) await writeFile(planFile, serialisePlan(result.plan), "utf8");
  if (output === "json") {
    stdout.write(serialisePlan(result.plan));
    return;
  }
  if (result.onDemandSteps) stdout.write(renderOnDemand(result.onDemandSteps, result.plan, result.report));
  else await writeLines(stdout, planTextLines(result.plan, { width: terminalWidth(stdout) }));
  if (result.rulesChanged === true) stdout.write(`${renderImpact(summariseImpact(result.plan))}\n`);
  stdout.write(
    result.report
      ? `\nApplied: ${result.report.succeeded} succeeded, ${result.report.failed} failed.\n`
      : "\nDry run: nothing was written.\n",
  );
}

/** About this much text per write: the plan is never held whole as one string. */
const PIECE_CHARS = 64 * 1024;

/** Lines, each ended by a newline, in pieces; waits when the stream asks it to (a slow pipe). */
async function writeLines(stdout: NodeJS.WritableStream, lines: Iterable<string>): Promise<void> {
  let piece = "";
  for (const line of lines) {
    piece += `${line}\n`;
    if (piece.length < PIECE_CHARS) continue;
    if (!stdout.write(piece)) await once(stdout, "drain");
    piece = "";
  }
  if (piece.length > 0 && !stdout.write(piece)) await once(stdout, "drain");
}

export function exitCodeOf(result: CycleResult): ExitCode {
  if (notProvisioned(result)) return EXIT.onDemandNotProvisioned;
  switch (result.outcome) {
    case "dryRun":
    case "success":
      return result.plan.guard.held ? EXIT.guardHeld : EXIT.success;
    case "failures":
      return EXIT.partialFailure;
    case "held":
      return EXIT.guardHeld;
  }
}

/**
 * On demand, the object was not found, or was left out (scope, mapping) with nothing to do in
 * Klaxoon: the administrator asked for something that did not happen, which a script must see.
 * An object out of scope that Klaxoon holds is deactivated: that is provisioning, exit 0.
 */
function notProvisioned(result: CycleResult): boolean {
  const steps = result.onDemandSteps;
  if (!steps) return false;
  const stopped = steps.some((step) => !step.ok);
  return stopped && result.plan.operations.length === 0 && result.plan.held.length === 0;
}

/** The width lines are cut to at a terminal (never under 60 columns); none in a pipe or a file. */
function terminalWidth(stdout: NodeJS.WritableStream): number | undefined {
  const tty = stdout as Partial<NodeJS.WriteStream>;
  if (tty.isTTY !== true) return undefined;
  return Math.max(tty.columns ?? 100, 60);
}
