import type { ScimValue } from "../model/index.js";
import { summarisePlan, summaryLine } from "./plan-summary.js";
import type { AttributeChange, Plan, PlanOperation } from "./types.js";

const SECTIONS: readonly { readonly title: string; readonly test: (op: PlanOperation) => boolean }[] = [
  { title: "Users to create", test: (op) => op.kind === "user" && op.action === "create" },
  { title: "Users to update", test: (op) => op.kind === "user" && op.action === "update" },
  { title: "Users to reactivate", test: (op) => op.action === "reactivate" },
  { title: "Users to deactivate", test: (op) => op.action === "deactivate" },
  { title: "Groups to create", test: (op) => op.kind === "group" && op.action === "create" },
  { title: "Groups to update", test: (op) => op.kind === "group" && op.action === "update" },
  { title: "Group members to remove", test: (op) => op.action === "removeMembers" },
  { title: "Group members to add", test: (op) => op.action === "addMembers" },
];

/** Members named on a line before "…" when no width bounds it (a pipe, a file). */
const MEMBERS_NAMED = 10;

export interface RenderOptions {
  /**
   * The terminal's width: each object's line is cut to it (ending "…"). Undefined (a pipe or a
   * file): lines are whole, for grep and review; `--output json` has everything anyway.
   */
  readonly width?: number | undefined;
}

/**
 * The plan for people, like terraform's: grouped by action, one line per object (what changes
 * on the same line), the deletion guard and warnings, then one closing line of counts.
 */
export function renderPlanText(plan: Plan, options: RenderOptions = {}): string {
  return [...planTextLines(plan, options)].join("\n");
}

/**
 * The same text line by line, for a writer that sends it in pieces: an initial sync of 34,000
 * users is 8.6 MB of text, which as one string (and its encoded copy) made the cycle's peak.
 */
export function* planTextLines(plan: Plan, options: RenderOptions = {}): Generator<string, void, undefined> {
  const toWidth = (line: string): string => truncate(line, options.width);
  const whole = options.width === undefined;
  yield `Plan (format v${plan.version}, ${plan.createdAt})`;
  for (const section of SECTIONS) {
    const ops = plan.operations.filter(section.test);
    if (ops.length === 0) continue;
    yield* ["", `${section.title} (${ops.length}):`];
    for (const op of ops) yield toWidth(`  ${describe(op, whole)}`);
  }
  if (plan.guard.held) {
    yield* ["", `Deletion guard HOLDS ${plan.held.length} deactivations: ${plan.guard.reason ?? ""}`];
    yield "  Review them, then allow once with --allow-deactivations or raise deletionGuard in the config.";
    for (const op of plan.held) yield toWidth(`  ${describe(op, whole)}`);
  }
  if (plan.protected.length > 0) {
    yield* ["", `Protected (${plan.protected.length}): left as they are, by a protect: rule`];
    for (const { operation, rule } of plan.protected)
      yield toWidth(`  ${describe(operation, whole)}  [protected: ${rule}]`);
  }
  if (plan.warnings.length > 0) {
    yield* ["", `Warnings (${plan.warnings.length}):`];
    for (const w of plan.warnings) {
      const since = w.since === undefined ? "" : ` (found first by the cycle of ${w.since})`;
      yield toWidth(`  [${w.code}] ${w.kind} ${w.label}: ${w.message}${since}`);
    }
  }
  const drift = plan.operations.filter((op) => op.drift).length;
  if (drift > 0) yield* ["", `${drift} of these repair changes made in Klaxoon by hand (drift).`];
  yield "";
  if (plan.operations.length === 0 && plan.held.length === 0 && plan.protected.length === 0)
    yield "No changes. Klaxoon matches Entra.";
  else yield summaryLine(summarisePlan(plan));
  if (plan.held.length > 0) yield `Held by the deletion guard: ${plan.held.length} deactivations.`;
  if (plan.protected.length > 0)
    yield `Protected by protect: rules: ${plan.protected.length} operations, left as they are.`;
}

function truncate(line: string, width: number | undefined): string {
  if (width === undefined) return line;
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, Math.max(width - 1, 1)).join("")}…`;
}

function describe(op: PlanOperation, capMembers: boolean): string {
  const line = describeChange(op, capMembers);
  return op.drift ? `${line}  [drift: changed in Klaxoon, repaired]` : line;
}

function describeChange(op: PlanOperation, capMembers: boolean): string {
  const who = op.object.label;
  switch (op.action) {
    case "create": {
      const attributes = Object.entries(op.attributes)
        .filter(([, value]) => value !== who)
        .map(([path, value]) => `${shortPath(path)}=${compact(value)}`);
      return `+ ${who}${attributes.length > 0 ? `  ${attributes.join(" ")}` : ""}`;
    }
    case "update":
    case "reactivate":
      return `~ ${who}  ${changes(op.changes)}`;
    case "deactivate":
      return `- ${who}  (${op.reason})${op.changes.length > 1 ? `  ${changes(op.changes)}` : ""}`;
    case "addMembers":
    case "removeMembers": {
      const named = capMembers ? op.members.slice(0, MEMBERS_NAMED) : op.members;
      const more = named.length < op.members.length ? ", …" : "";
      const count = `${op.members.length} member${op.members.length === 1 ? "" : "s"}`;
      return `${op.action === "addMembers" ? "+" : "-"} ${who}: ${count}: ${named.map((m) => m.label).join(", ")}${more}`;
    }
  }
}

function changes(list: readonly AttributeChange[]): string {
  return list.map((c) => `${c.path}: ${show(c.from)} → ${show(c.to)}`).join("; ");
}

/** `emails[type eq "work"].value` → `emails[work]`, `urn:…:Group:license` → `license`, `name.givenName` → `givenName`. */
function shortPath(path: string): string {
  const filtered = /^(\w+)\[type eq "([^"]+)"\]\.value$/.exec(path);
  if (filtered) return `${filtered[1]}[${filtered[2]}]`;
  return path.split(/[:.]/).at(-1) ?? path;
}

/** Plain words bare (`Ada`, `ada@contoso.com`, `true`), anything else as JSON. */
function compact(value: ScimValue): string {
  if (typeof value === "string" && /^[\p{L}\p{N}_.@+-]+$/u.test(value)) return value;
  return show(value);
}

function show(value: ScimValue): string {
  return value === null ? "(empty)" : JSON.stringify(value);
}
