import { writeFile } from "node:fs/promises";
import type { CycleResult } from "../cycle/index.js";
import { renderImpact, renderPlanText, serialisePlan, summariseImpact } from "../plan/index.js";
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
  else stdout.write(`${renderPlanText(result.plan)}\n`);
  if (result.rulesChanged === true) stdout.write(`${renderImpact(summariseImpact(result.plan))}\n`);
  stdout.write(
    result.report
      ? `\nApplied: ${result.report.succeeded} succeeded, ${result.report.failed} failed.\n`
      : "\nDry run: nothing was written.\n",
  );
}

export function exitCodeOf(result: CycleResult): ExitCode {
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
