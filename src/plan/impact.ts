import type { Plan, PlanOperation } from "./types.js";

const EXAMPLES = 3;

export interface ImpactLine {
  readonly count: number;
  /** The first few objects, by label. */
  readonly examples: readonly string[];
}

/**
 * What a configuration change would do, by cause: the preview a dry run prints when its
 * mappings or scoping rules differ from the last cycle's (Entra re-evaluates every object on
 * a mapping change, and its docs can only say "keep changes minimal").
 */
export interface Impact {
  /** Per target attribute: the objects whose value would change (updates, reactivations, deactivations). */
  readonly attributes: readonly ({ readonly path: string } & ImpactLine)[];
  /** Users a scoping filter now excludes: they would be deactivated (or held by the guard). */
  readonly leavingScope: ImpactLine;
  /** Objects that would be created (new in scope, or never provisioned). */
  readonly entering: ImpactLine;
  readonly reactivated: ImpactLine;
  readonly guard: { readonly held: boolean; readonly reason: string | null; readonly deactivations: number };
}

export function summariseImpact(plan: Plan): Impact {
  const byPath = new Map<string, string[]>();
  const all = [...plan.operations, ...plan.held];
  for (const op of all) {
    if (op.action !== "update" && op.action !== "reactivate" && op.action !== "deactivate") continue;
    for (const change of op.changes) {
      const labels = byPath.get(change.path) ?? [];
      labels.push(op.object.label);
      byPath.set(change.path, labels);
    }
  }
  const attributes = [...byPath]
    .map(([path, labels]) => ({ path, ...line(labels) }))
    .sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
  const labelsOf = (test: (op: PlanOperation) => boolean) => all.filter(test).map((op) => op.object.label);
  return {
    attributes,
    leavingScope: line(labelsOf((op) => op.action === "deactivate" && op.reason === "outOfScope")),
    entering: line(labelsOf((op) => op.action === "create")),
    reactivated: line(labelsOf((op) => op.action === "reactivate")),
    guard: { held: plan.guard.held, reason: plan.guard.reason, deactivations: plan.guard.deactivations },
  };
}

function line(labels: readonly string[]): ImpactLine {
  return { count: labels.length, examples: labels.slice(0, EXAMPLES) };
}

/** The impact for people: one line per cause, three examples each. */
export function renderImpact(impact: Impact): string {
  const lines = [
    "",
    "Impact of the configuration change (mappings or scoping rules differ from the last cycle's; every object was evaluated):",
  ];
  const show = (what: string, l: ImpactLine) =>
    `  ${what}: ${l.count}${l.count === 0 ? "" : ` (${l.examples.join(", ")}${l.count > l.examples.length ? ", …" : ""})`}`;
  if (impact.attributes.length === 0) lines.push("  no attribute changes");
  for (const a of impact.attributes) lines.push(show(`${a.path} changes for`, a));
  lines.push(show("leave scope (would be deactivated)", impact.leavingScope));
  lines.push(show("enter scope or are new (would be created)", impact.entering));
  lines.push(show("would be reactivated", impact.reactivated));
  const { guard } = impact;
  lines.push(
    guard.held
      ? `  deletion guard: would HOLD ${guard.deactivations} deactivations (${guard.reason ?? ""})`
      : `  deletion guard: would not hold (${guard.deactivations} deactivations)`,
  );
  return lines.join("\n");
}
