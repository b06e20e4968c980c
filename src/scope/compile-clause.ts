import type { ScopeValue } from "./attribute-value.js";
import { compileRegex } from "./regex.js";
import { MEMBERSHIP_OPERATORS, SCOPING_OPERATORS, type ScopingClause, type ScopingOperator } from "./types.js";

export type ClauseTest = (value: ScopeValue) => boolean;

const UNARY: ReadonlySet<ScopingOperator> = new Set(["IS TRUE", "IS FALSE", "IS NULL", "IS NOT NULL"]);
const INTEGER = /^[+-]?[0-9]{1,18}$/;

/** A clause → a predicate, or the reason it is invalid (thrown as a string, wrapped by the caller with its position). */
export function compileClause(clause: ScopingClause & { readonly operator: ScopingOperator }): ClauseTest {
  const operator: string = clause.operator;
  if (!(SCOPING_OPERATORS as readonly string[]).includes(operator)) {
    throw `unknown operator "${operator}" (expected one of ${[...SCOPING_OPERATORS, ...MEMBERSHIP_OPERATORS].map((o) => `"${o}"`).join(", ")})`;
  }
  const value = clause.value ?? "";
  if (UNARY.has(clause.operator)) {
    if (value !== "") throw `operator "${operator}" takes no value, but got "${value}"`;
    return unary(clause.operator);
  }
  if (value === "") throw `operator "${operator}" needs a value`;
  return binary(clause.operator, value);
}

function unary(operator: ScopingOperator): ClauseTest {
  switch (operator) {
    case "IS NULL":
      return (v) => v.kind === "null";
    case "IS NOT NULL":
      return (v) => v.kind === "text";
    // Graph Booleans, and "true"/"false" strings in any case (extension attributes hold text).
    case "IS TRUE":
      return (v) => v.kind === "text" && v.text.toLowerCase() === "true";
    default:
      return (v) => v.kind === "text" && v.text.toLowerCase() === "false";
  }
}

function binary(operator: ScopingOperator, value: string): ClauseTest {
  const text =
    (test: (attribute: string, raw: string | number | boolean) => boolean): ClauseTest =>
    (v) =>
      v.kind === "text" && test(v.text, v.raw);
  switch (operator) {
    // `&`: the attribute's value occurs in the clause's value, e.g. department & "Sales,Marketing".
    case "&":
      return text((a) => value.includes(a));
    case "!&":
      return text((a) => !value.includes(a));
    case "ENDS_WITH":
      return text((a) => a.endsWith(value));
    case "Includes":
      return text((a) => a.includes(value));
    // Case-sensitive, except that a Boolean attribute matches "true"/"false" in any case.
    case "EQUALS":
      return text((a, raw) => (typeof raw === "boolean" ? a.toLowerCase() === value.toLowerCase() : a === value));
    case "NOT EQUALS":
      return text((a, raw) => (typeof raw === "boolean" ? a.toLowerCase() !== value.toLowerCase() : a !== value));
    case "REGEX MATCH":
    case "NOT REGEX MATCH": {
      const compiled = compileRegex(value);
      if (!compiled.ok) throw compiled.reason;
      const regex = compiled.regex;
      const negate = operator === "NOT REGEX MATCH";
      return text((a) => regex.test(a) !== negate);
    }
    default:
      return integerTest(operator, value);
  }
}

/** Greater_Than and friends: both sides must be integers (BigInt, so 18 digits stay exact); otherwise false. */
function integerTest(operator: ScopingOperator, value: string): ClauseTest {
  if (!INTEGER.test(value.trim())) throw `operator "${operator}" needs an integer value, but got "${value}"`;
  const limit = BigInt(value.trim());
  const compare = (n: bigint): boolean => {
    switch (operator) {
      case "Greater_Than":
        return n > limit;
      case "Greater_Than_OR_EQUALS":
        return n >= limit;
      case "Less_Than":
        return n < limit;
      default:
        return n <= limit;
    }
  };
  return (v) =>
    v.kind === "text" && typeof v.raw !== "boolean" && INTEGER.test(v.text.trim()) && compare(BigInt(v.text.trim()));
}
