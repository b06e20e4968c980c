import type { ApplyReport } from "../apply/index.js";
import type { OnDemandStep } from "../cycle/index.js";
import type { Plan } from "../plan/index.js";

const TITLES: Readonly<Record<OnDemandStep["step"], string>> = {
  found: "Read from Entra",
  scope: "Scoping",
  mapping: "Attribute mapping",
  match: "Match in Klaxoon",
};

/** Provision on demand, step by step, as Entra's portal shows it. */
export function renderOnDemand(steps: readonly OnDemandStep[], plan: Plan, report: ApplyReport | null): string {
  const lines = ["Provision on demand", ""];
  for (const [index, step] of steps.entries()) {
    lines.push(`${index + 1}. ${TITLES[step.step]}: ${step.ok ? "ok" : "stopped"} — ${step.detail}`);
  }
  const next = steps.length + 1;
  const stopped = steps.find((step) => !step.ok);
  if (stopped && plan.operations.length === 0 && plan.held.length === 0) {
    const at = steps.indexOf(stopped) + 1;
    lines.push(`${next}. Action: none — not provisioned (step ${at}, ${TITLES[stopped.step]}, stopped)`);
  } else if (report === null) {
    lines.push(`${next}. Action (dry run, nothing written):${plan.operations.length === 0 ? " none needed" : ""}`);
    for (const op of plan.operations) lines.push(`   would ${op.action} ${op.kind} ${op.object.label}`);
  } else if (report.results.length === 0) {
    lines.push(`${next}. Action: none needed (Klaxoon already matches)`);
  } else {
    lines.push(`${next}. Action:`);
    for (const r of report.results) {
      const error = r.status === "success" ? "" : ` (${r.httpStatus ?? ""} ${r.message ?? ""})`.replace("( ", "(");
      lines.push(`   ${r.operation.kind} ${r.operation.action} ${r.operation.object.label}: ${r.status}${error}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
