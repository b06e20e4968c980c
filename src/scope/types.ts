/**
 * Entra's scoping-filter operators. `Less_Than` and `Less_Than_OR_EQUALS` are our extension:
 * no Microsoft source lists them; they mirror Greater_Than*.
 */
export const SCOPING_OPERATORS = [
  "&",
  "!&",
  "ENDS_WITH",
  "EQUALS",
  "NOT EQUALS",
  "Includes",
  "Greater_Than",
  "Greater_Than_OR_EQUALS",
  "Less_Than",
  "Less_Than_OR_EQUALS",
  "IS TRUE",
  "IS FALSE",
  "IS NULL",
  "IS NOT NULL",
  "REGEX MATCH",
  "NOT REGEX MATCH",
] as const;

export type ScopingOperator = (typeof SCOPING_OPERATORS)[number];

/**
 * Group membership, which Entra's scoping filters cannot express (our extension): the clause
 * `{ attribute: memberOf, operator: IS MEMBER OF, value: <group object id>, transitive? }`.
 */
export const MEMBERSHIP_OPERATORS = ["IS MEMBER OF", "IS NOT MEMBER OF"] as const;

export type MembershipOperator = (typeof MEMBERSHIP_OPERATORS)[number];

export interface ScopingClause {
  readonly attribute: string;
  readonly operator: ScopingOperator | MembershipOperator;
  readonly value?: string;
  /** Membership clauses only: members of nested groups count too (default false: direct members). */
  readonly transitive?: boolean;
}

/** Whether the object being scoped is a member of a group: directly, or also through nested groups. */
export type MembershipLookup = (groupId: string, transitive: boolean) => boolean;

/** A group a membership clause names, whose members the reader must provide. */
export interface MembershipReference {
  readonly groupId: string;
  readonly transitive: boolean;
}

/** Clauses are AND-ed inside a group (one Entra "scoping filter"); groups are OR-ed; no groups = everything in scope. */
export type ScopingFilterGroups = readonly (readonly ScopingClause[])[];

/** One clause as evaluated for one object: what it compared and its verdict (`explain`). */
export interface ClauseTrace {
  /** `department EQUALS "Sales"`. */
  readonly clause: string;
  /** The value compared, as shown to people: `"Sales"`, `null or empty`, `a direct member`. */
  readonly value: string;
  readonly passed: boolean;
}

/** Every filter (OR-ed) with every clause (AND-ed), evaluated; no filters = in scope. */
export interface ScopeTrace {
  readonly inScope: boolean;
  readonly filters: readonly { readonly clauses: readonly ClauseTrace[]; readonly passed: boolean }[];
}

export interface CompiledScope {
  /** Source attribute names the filters read (for Graph `$select`). */
  readonly attributes: readonly string[];
  /** Groups the membership clauses name (lower-case ids), once each per transitivity. */
  readonly membershipGroups: readonly MembershipReference[];
  /** `memberOf` answers membership clauses; without it the object is a member of no group. */
  isInScope(attributes: Readonly<Record<string, unknown>>, memberOf?: MembershipLookup): boolean;
  /** Why an object is in or out of scope, naming the failing clause of each filter (provision on demand). */
  explain(attributes: Readonly<Record<string, unknown>>, memberOf?: MembershipLookup): string;
  /** Every clause with the value it compared and its verdict (the `explain` command). */
  trace(attributes: Readonly<Record<string, unknown>>, memberOf?: MembershipLookup): ScopeTrace;
}
