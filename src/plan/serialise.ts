import { SyncError } from "../model/index.js";
import { PLAN_VERSION, type Plan } from "./types.js";

/** The plan as JSON (schema documented in the README, section "Plan JSON"). */
export function serialisePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Reads a saved plan; a plan from another format version is refused, never guessed at. */
export function parsePlan(text: string, source: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SyncError("PLAN_INVALID", `${source}: not a JSON plan`);
  }
  const version = typeof data === "object" && data !== null && "version" in data ? data.version : undefined;
  if (version !== PLAN_VERSION) {
    throw new SyncError(
      "PLAN_VERSION",
      `${source}: plan format v${String(version)} cannot be read by this agent (v${PLAN_VERSION})`,
    );
  }
  return data as Plan;
}
