import type { ScimValue } from "../model/index.js";
import type { AttributeChange, Plan, PlanOperation } from "./types.js";

const SECTIONS: readonly { readonly title: string; readonly test: (op: PlanOperation) => boolean }[] = [
  { title: "Create users", test: (op) => op.kind === "user" && op.action === "create" },
  { title: "Update users", test: (op) => op.kind === "user" && op.action === "update" },
  { title: "Reactivate users", test: (op) => op.action === "reactivate" },
  { title: "Deactivate users", test: (op) => op.action === "deactivate" },
  { title: "Create groups", test: (op) => op.kind === "group" && op.action === "create" },
  { title: "Update groups", test: (op) => op.kind === "group" && op.action === "update" },
  { title: "Remove group members", test: (op) => op.action === "removeMembers" },
  { title: "Add group members", test: (op) => op.action === "addMembers" },
];

/** The plan for people: a summary table, then one line per change, grouped by kind. */
export function renderPlanText(plan: Plan): string {
  const lines: string[] = [`Plan (format v${plan.version}, ${plan.createdAt})`, ""];
  const rows = SECTIONS.map((s) => [s.title, plan.operations.filter(s.test).length] as const);
  for (const [title, count] of rows) lines.push(`  ${title.padEnd(24)} ${String(count).padStart(7)}`);
  if (plan.guard.held) lines.push(`  ${"Deactivations held".padEnd(24)} ${String(plan.held.length).padStart(7)}`);
  if (plan.protected.length > 0) lines.push(`  ${"Protected".padEnd(24)} ${String(plan.protected.length).padStart(7)}`);
  const drift = plan.operations.filter((op) => op.drift).length;
  if (drift > 0) lines.push(`  ${"of which drift repairs".padEnd(24)} ${String(drift).padStart(7)}`);
  lines.push(`  ${"Warnings".padEnd(24)} ${String(plan.warnings.length).padStart(7)}`);
  if (plan.operations.length === 0 && plan.held.length === 0 && plan.protected.length === 0)
    lines.push("", "No changes.");
  for (const section of SECTIONS) {
    const ops = plan.operations.filter(section.test);
    if (ops.length === 0) continue;
    lines.push("", `${section.title} (${ops.length}):`);
    for (const op of ops) lines.push(`  ${describe(op)}`);
  }
  if (plan.guard.held) {
    lines.push("", `Deletion guard HOLDS ${plan.held.length} deactivations: ${plan.guard.reason ?? ""}`);
    lines.push("  Review them, then allow once with --allow-deactivations or raise deletionGuard in the config.");
    for (const op of plan.held) lines.push(`  ${describe(op)}`);
  }
  if (plan.protected.length > 0) {
    lines.push("", `Protected (${plan.protected.length}): left as they are, by a protect: rule`);
    for (const { operation, rule } of plan.protected) lines.push(`  ${describe(operation)}  [protected: ${rule}]`);
  }
  if (plan.warnings.length > 0) {
    lines.push("", `Warnings (${plan.warnings.length}):`);
    for (const w of plan.warnings)
      lines.push(
        `  [${w.code}] ${w.kind} ${w.label}: ${w.message}${w.since === undefined ? "" : ` (found first by the cycle of ${w.since})`}`,
      );
  }
  return lines.join("\n");
}

function describe(op: PlanOperation): string {
  return op.drift ? `${describeChange(op)}  [drift: changed in Klaxoon, repaired]` : describeChange(op);
}

function describeChange(op: PlanOperation): string {
  const who = op.object.label;
  switch (op.action) {
    case "create":
      return `+ ${who}  ${Object.entries(op.attributes)
        .map(([k, v]) => `${k}=${show(v)}`)
        .join(" ")}`;
    case "update":
    case "reactivate":
      return `~ ${who}  ${changes(op.changes)}`;
    case "deactivate":
      return `- ${who}  (${op.reason})${op.changes.length > 1 ? `  ${changes(op.changes)}` : ""}`;
    case "addMembers":
    case "removeMembers":
      return `${op.action === "addMembers" ? "+" : "-"} ${who}: ${op.members.length} member(s): ${op.members
        .slice(0, 10)
        .map((m) => m.label)
        .join(", ")}${op.members.length > 10 ? ", …" : ""}`;
  }
}

function changes(list: readonly AttributeChange[]): string {
  return list.map((c) => `${c.path}: ${show(c.from)} → ${show(c.to)}`).join("; ");
}

function show(value: ScimValue): string {
  return value === null ? "(empty)" : JSON.stringify(value);
}
