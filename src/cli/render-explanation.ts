import type { Explanation, ExplainedMapping } from "../cycle/index.js";
import type { ScimValue } from "../model/index.js";

/** `explain` for people: where the object stands at each step, then what a cycle would do and why. */
export function renderExplanation(explanation: Explanation): string {
  const { request, object } = explanation;
  const lines = [`Explain ${request.kind} ${request.ref}`, ""];
  if (object === null) {
    lines.push(`Not found: ${explanation.notFound ?? ""}`);
    return `${lines.join("\n")}\n`;
  }
  lines.push(`Entra ${request.kind} ${object.label} (${object.sourceId})`);
  lines.push("", "Assignment:");
  const assignment = explanation.assignment;
  if (assignment === null)
    lines.push("  not read from Graph: no longer assigned to the app (directly or through a group)");
  else if (assignment.all) lines.push('  scope mode "all": every object of the tenant is read');
  else {
    if (assignment.direct) lines.push("  assigned directly");
    for (const group of assignment.throughGroups) lines.push(`  assigned through group ${group}`);
  }
  lines.push("", "Scoping:");
  const scope = explanation.scope;
  if (scope === null) lines.push("  not evaluated (not read)");
  else if (scope.filters.length === 0) lines.push("  in scope: no scoping filters");
  else {
    for (const [index, filter] of scope.filters.entries()) {
      lines.push(`  filter ${index + 1}: ${filter.passed ? "matches" : "does not match"}`);
      for (const clause of filter.clauses)
        lines.push(`    ${clause.passed ? "true " : "false"}  ${clause.clause}  (value: ${clause.value})`);
    }
    lines.push(`  => ${scope.inScope ? "in scope" : "out of scope"}`);
  }
  if (explanation.mappings.length > 0) {
    lines.push("", "Mappings (expression, inputs → result | Klaxoon now):");
    for (const m of explanation.mappings) lines.push(...mappingLines(m));
  }
  const klaxoon = explanation.klaxoon;
  lines.push(
    "",
    `Klaxoon: ${klaxoon === null ? "no account linked or matching" : `${klaxoon.label} (${klaxoon.id}, ${klaxoon.how})`}`,
  );
  const { verdict } = explanation;
  lines.push("", `Action: ${verdict.action}`);
  for (const reason of verdict.reasons) lines.push(`  ${reason}`);
  for (const change of verdict.changes) lines.push(`  ${change.path}: ${show(change.from)} → ${show(change.to)}`);
  return `${lines.join("\n")}\n`;
}

function mappingLines(m: ExplainedMapping): string[] {
  const flags = [m.apply === "onCreate" ? "on create" : null, m.required ? "required" : null].filter(Boolean);
  const head = `  ${m.target}${flags.length > 0 ? ` [${flags.join(", ")}]` : ""} ← ${m.expression}`;
  const inputs = m.inputs.map((i) => `[${i.name}]=${showInput(i.value)}`).join(", ");
  const result =
    m.result.kind === "value"
      ? show(m.result.value)
      : m.result.kind === "ignored"
        ? "(ignored: the attribute is left as it is)"
        : m.result.kind === "redacted"
          ? "[redacted]"
          : `error: ${m.result.reason}`;
  const now = m.result.kind === "redacted" ? "" : ` | ${show(m.klaxoon)}`;
  return [head, `      ${inputs === "" ? "" : `${inputs} → `}${result}${now}`];
}

function showInput(value: unknown): string {
  if (value === undefined || value === null) return "(empty)";
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function show(value: ScimValue): string {
  return value === null ? "(empty)" : JSON.stringify(value);
}
