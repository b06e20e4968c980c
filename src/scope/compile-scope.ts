import { ConfigError } from "../model/index.js";
import { readAttribute, type ScopeValue } from "./attribute-value.js";
import { compileClause } from "./compile-clause.js";
import { compileMembershipClause, isMembershipOperator, MEMBERSHIP_ATTRIBUTE } from "./membership-clause.js";
import type {
  ClauseTrace,
  CompiledScope,
  MembershipLookup,
  MembershipReference,
  ScopingClause,
  ScopingFilterGroups,
  ScopingOperator,
  ScopeTrace,
} from "./types.js";

/** Attributes Entra cannot filter on: multi-valued ones and group membership (documented limitations). */
const UNFILTERABLE: ReadonlyMap<string, string> = new Map([
  ...[
    "businessphones",
    "proxyaddresses",
    "othermails",
    "imaddresses",
    "identities",
    "assignedlicenses",
    "assignedplans",
    "provisionedplans",
    "schools",
    "skills",
    "interests",
    "pastprojects",
    "responsibilities",
    "grouptypes",
    "approleassignments",
  ].map((name): [string, string] => [name, "is multi-valued, and Entra cannot filter multi-valued attributes"]),
  ["members", "is a group's members, which Entra cannot filter on"],
  [
    "ismemberof",
    `is not supported by Entra (IsMemberOf); use { attribute: ${MEMBERSHIP_ATTRIBUTE}, operator: IS MEMBER OF, value: <group object id> }`,
  ],
  ["memberof", "is group membership: use it with the operator IS MEMBER OF or IS NOT MEMBER OF and a group object id"],
]);

type Objects = Readonly<Record<string, unknown>>;

interface Compiled {
  readonly clause: ScopingClause;
  readonly test: (attributes: Objects, memberOf: MembershipLookup | undefined) => boolean;
  readonly membership: MembershipReference | null;
}

/** `allowMembership: false` refuses membership clauses (group scoping: groups are not members of anything we read). */
export function compileScope(
  groups: ScopingFilterGroups,
  where: string,
  options: { readonly allowMembership?: boolean } = {},
): CompiledScope {
  const compiled = groups.map((group, g) => {
    if (group.length === 0)
      throw new ConfigError("FILTER_INVALID", `${where}[${g}]: a scoping filter needs at least one clause`);
    return group.map((clause, c) => compileOne(clause, `${where}[${g}][${c}]`, options.allowMembership ?? true));
  });
  const names = new Map<string, string>();
  const references = new Map<string, MembershipReference>();
  for (const group of compiled) {
    for (const { clause, membership } of group) {
      if (membership) references.set(`${membership.groupId}:${membership.transitive}`, membership);
      else if (!names.has(clause.attribute.toLowerCase())) names.set(clause.attribute.toLowerCase(), clause.attribute);
    }
  }
  const passes = (group: readonly Compiled[], attributes: Objects, memberOf: MembershipLookup | undefined) =>
    group.every(({ test }) => test(attributes, memberOf));
  return Object.freeze({
    attributes: Object.freeze([...names.values()]),
    membershipGroups: Object.freeze([...references.values()]),
    isInScope: (attributes: Objects, memberOf?: MembershipLookup) =>
      compiled.length === 0 || compiled.some((group) => passes(group, attributes, memberOf)),
    explain: (attributes: Objects, memberOf?: MembershipLookup) => explain(compiled, attributes, memberOf),
    trace: (attributes: Objects, memberOf?: MembershipLookup) => trace(compiled, attributes, memberOf),
  });
}

function compileOne(clause: ScopingClause, at: string, allowMembership: boolean): Compiled {
  const attribute: unknown = clause.attribute;
  if (typeof attribute !== "string" || attribute.trim() === "")
    throw new ConfigError("FILTER_INVALID", `${at}: the attribute name is missing`);
  try {
    const operator: string = clause.operator;
    if (isMembershipOperator(operator)) {
      if (!allowMembership) throw `operator "${operator}" applies to users only (scoping.users)`;
      const { reference, test } = compileMembershipClause({ ...clause, operator });
      return { clause, membership: reference, test: (_attributes, memberOf) => test(memberOf) };
    }
    const unfilterable = UNFILTERABLE.get(attribute.toLowerCase());
    if (unfilterable !== undefined) throw `"${attribute}" ${unfilterable}`;
    if (clause.transitive !== undefined)
      throw `"transitive" applies only to the operators IS MEMBER OF and IS NOT MEMBER OF`;
    const test = compileClause({ ...clause, operator: operator as ScopingOperator });
    return { clause, membership: null, test: (attributes) => test(readAttribute(attributes, clause.attribute)) };
  } catch (reason) {
    if (typeof reason !== "string") throw reason;
    throw new ConfigError("FILTER_INVALID", `${at}: ${reason}`);
  }
}

function describe(clause: ScopingClause): string {
  const transitive = clause.transitive === true ? " (transitive)" : "";
  return `${clause.attribute} ${clause.operator}${clause.value === undefined || clause.value === "" ? "" : ` "${clause.value}"`}${transitive}`;
}

function show(value: ScopeValue): string {
  if (value.kind === "null") return "null or empty";
  if (value.kind === "multi") return "multi-valued (cannot be filtered)";
  if (value.kind === "other") return "not a string, number or Boolean";
  return JSON.stringify(value.text.length > 60 ? `${value.text.slice(0, 60)}…` : value.text);
}

function why(compiled: Compiled, attributes: Objects): string {
  const { clause, membership } = compiled;
  if (membership)
    return clause.operator === "IS MEMBER OF"
      ? `not a${membership.transitive ? "" : " direct"} member of group ${membership.groupId}`
      : `a member of group ${membership.groupId}`;
  return `${clause.attribute} is ${show(readAttribute(attributes, clause.attribute))}`;
}

function trace(
  compiled: readonly (readonly Compiled[])[],
  attributes: Objects,
  memberOf: MembershipLookup | undefined,
): ScopeTrace {
  const filters = compiled.map((group) => {
    const clauses = group.map((one): ClauseTrace => {
      const passed = one.test(attributes, memberOf);
      return { clause: describe(one.clause), value: compared(one, passed, attributes), passed };
    });
    return { clauses, passed: clauses.every((c) => c.passed) };
  });
  return { inScope: filters.length === 0 || filters.some((f) => f.passed), filters };
}

function compared(one: Compiled, passed: boolean, attributes: Objects): string {
  const { clause, membership } = one;
  if (!membership) return show(readAttribute(attributes, clause.attribute));
  const member = (clause.operator === "IS MEMBER OF") === passed;
  return `${member ? "a" : "not a"}${membership.transitive ? "" : " direct"} member of ${membership.groupId}`;
}

function explain(
  compiled: readonly (readonly Compiled[])[],
  attributes: Objects,
  memberOf: MembershipLookup | undefined,
): string {
  if (compiled.length === 0) return "in scope: no scoping filters";
  const reasons: string[] = [];
  for (const [g, group] of compiled.entries()) {
    const failed = group.findIndex(({ test }) => !test(attributes, memberOf));
    if (failed < 0)
      return `in scope: filter ${g + 1} matches (${group.map(({ clause }) => describe(clause)).join(" AND ")})`;
    const one = group[failed];
    if (one !== undefined)
      reasons.push(`filter ${g + 1}, clause ${failed + 1} (${describe(one.clause)}) is false: ${why(one, attributes)}`);
  }
  return `out of scope: ${reasons.join("; ")}`;
}
