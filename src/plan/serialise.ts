import { createHash } from "node:crypto";
import { PlanRefusedError } from "../model/index.js";
import { PLAN_VERSION, type Plan } from "./types.js";

/** The plan as JSON (schema documented in the README, section "Plan JSON"), sealed with its `integrity`. */
export function serialisePlan(plan: Plan): string {
  const { integrity: _previous, ...content } = plan;
  return `${JSON.stringify({ ...content, integrity: integrityOf(content) }, null, 2)}\n`;
}

/**
 * Reads a saved plan; a plan from another format version is refused, never guessed at, and so
 * is one whose content no longer matches its `integrity` (edited by hand or damaged).
 */
export function parsePlan(text: string, source: string): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new PlanRefusedError("PLAN_INVALID", `${source}: not a JSON plan`);
  }
  const version = typeof data === "object" && data !== null && "version" in data ? data.version : undefined;
  if (version !== PLAN_VERSION) {
    throw new PlanRefusedError(
      "PLAN_VERSION",
      `${source}: plan format v${String(version)} cannot be read by this agent (v${PLAN_VERSION})`,
    );
  }
  const { integrity, ...content } = data as Plan;
  if (integrity === undefined || integrity !== integrityOf(content))
    throw new PlanRefusedError(
      "PLAN_INTEGRITY",
      `${source}: the plan's content does not match its integrity hash (edited or damaged): refused; make a new plan`,
    );
  return data as Plan;
}

function integrityOf(content: Omit<Plan, "integrity">): string {
  return `sha256:${createHash("sha256")
    .update(JSON.stringify(content, null, 2))
    .digest("hex")}`;
}
