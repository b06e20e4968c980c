import { ConfigError } from "../model/index.js";
import { readAttribute, type ScopeValue } from "./attribute-value.js";
import { compileClause, type ClauseTest } from "./compile-clause.js";
import type { CompiledScope, ScopingClause, ScopingFilterGroups } from "./types.js";

/** Attributes Entra cannot filter on: multi-valued ones and group membership (documented limitations). */
const UNFILTERABLE: ReadonlyMap<string, string> = new Map([
  ...["businessphones", "proxyaddresses", "othermails", "imaddresses", "identities", "assignedlicenses", "assignedplans",
    "provisionedplans", "schools", "skills", "interests", "pastprojects", "responsibilities", "grouptypes", "approleassignments"]
    .map((name): [string, string] => [name, "is multi-valued, and Entra cannot filter multi-valued attributes"]),
  ["members", "is a group's members, which Entra cannot filter on"],
  ["ismemberof", "is not supported by Entra (IsMemberOf)"],
  ["memberof", "is group membership, which Entra cannot filter on"],
]);

interface Compiled {
  readonly clause: ScopingClause;
  readonly test: ClauseTest;
}

export function compileScope(groups: ScopingFilterGroups, where: string): CompiledScope {
  const compiled = groups.map((group, g) => {
    if (group.length === 0) throw new ConfigError("FILTER_INVALID", `${where}[${g}]: a scoping filter needs at least one clause`);
    return group.map((clause, c) => compileOne(clause, `${where}[${g}][${c}]`));
  });
  const names = new Map<string, string>();
  for (const group of compiled) for (const { clause } of group) if (!names.has(clause.attribute.toLowerCase())) names.set(clause.attribute.toLowerCase(), clause.attribute);
  const passes = (group: readonly Compiled[], attributes: Readonly<Record<string, unknown>>) =>
    group.every(({ clause, test }) => test(readAttribute(attributes, clause.attribute)));
  return Object.freeze({
    attributes: Object.freeze([...names.values()]),
    isInScope: (attributes: Readonly<Record<string, unknown>>) => compiled.length === 0 || compiled.some((group) => passes(group, attributes)),
    explain: (attributes: Readonly<Record<string, unknown>>) => explain(compiled, attributes),
  });
}

function compileOne(clause: ScopingClause, at: string): Compiled {
  const attribute: unknown = clause.attribute;
  if (typeof attribute !== "string" || attribute.trim() === "") throw new ConfigError("FILTER_INVALID", `${at}: the attribute name is missing`);
  const unfilterable = UNFILTERABLE.get(attribute.toLowerCase());
  if (unfilterable !== undefined) throw new ConfigError("FILTER_INVALID", `${at}: "${attribute}" ${unfilterable}`);
  try {
    return { clause, test: compileClause(clause) };
  } catch (reason) {
    if (typeof reason !== "string") throw reason;
    throw new ConfigError("FILTER_INVALID", `${at}: ${reason}`);
  }
}

function describe(clause: ScopingClause): string {
  return `${clause.attribute} ${clause.operator}${clause.value === undefined || clause.value === "" ? "" : ` "${clause.value}"`}`;
}

function show(value: ScopeValue): string {
  if (value.kind === "null") return "null or empty";
  if (value.kind === "multi") return "multi-valued (cannot be filtered)";
  if (value.kind === "other") return "not a string, number or Boolean";
  return JSON.stringify(value.text.length > 60 ? `${value.text.slice(0, 60)}…` : value.text);
}

function explain(compiled: readonly (readonly Compiled[])[], attributes: Readonly<Record<string, unknown>>): string {
  if (compiled.length === 0) return "in scope: no scoping filters";
  const reasons: string[] = [];
  for (const [g, group] of compiled.entries()) {
    const failed = group.findIndex(({ clause, test }) => !test(readAttribute(attributes, clause.attribute)));
    if (failed < 0) return `in scope: filter ${g + 1} matches (${group.map(({ clause }) => describe(clause)).join(" AND ")})`;
    const { clause } = group[failed] ?? { clause: undefined };
    if (clause !== undefined) reasons.push(`filter ${g + 1}, clause ${failed + 1} (${describe(clause)}) is false: ${clause.attribute} is ${show(readAttribute(attributes, clause.attribute))}`);
  }
  return `out of scope: ${reasons.join("; ")}`;
}
