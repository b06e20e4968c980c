/**
 * Entra's scoping-filter operators. `Less_Than` and `Less_Than_OR_EQUALS` are our extension:
 * no Microsoft source lists them; they mirror Greater_Than*.
 */
export type ScopingOperator =
  | "&" | "!&" | "ENDS_WITH" | "EQUALS" | "NOT EQUALS" | "Includes"
  | "Greater_Than" | "Greater_Than_OR_EQUALS" | "Less_Than" | "Less_Than_OR_EQUALS"
  | "IS TRUE" | "IS FALSE" | "IS NULL" | "IS NOT NULL" | "REGEX MATCH" | "NOT REGEX MATCH";

export const SCOPING_OPERATORS: readonly ScopingOperator[] = [
  "&", "!&", "ENDS_WITH", "EQUALS", "NOT EQUALS", "Includes",
  "Greater_Than", "Greater_Than_OR_EQUALS", "Less_Than", "Less_Than_OR_EQUALS",
  "IS TRUE", "IS FALSE", "IS NULL", "IS NOT NULL", "REGEX MATCH", "NOT REGEX MATCH",
];

export interface ScopingClause {
  readonly attribute: string;
  readonly operator: ScopingOperator;
  readonly value?: string;
}

/** Clauses are AND-ed inside a group (one Entra "scoping filter"); groups are OR-ed; no groups = everything in scope. */
export type ScopingFilterGroups = readonly (readonly ScopingClause[])[];

export interface CompiledScope {
  /** Source attribute names the filters read (for Graph `$select`). */
  readonly attributes: readonly string[];
  isInScope(attributes: Readonly<Record<string, unknown>>): boolean;
  /** Why an object is in or out of scope, naming the failing clause of each filter (provision on demand). */
  explain(attributes: Readonly<Record<string, unknown>>): string;
}
