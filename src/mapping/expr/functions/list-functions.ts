import { ExpressionEvaluationError } from "../errors.js";
import { toInteger, toList, toText, type ExprValue } from "../values.js";
import type { FunctionEntries } from "./types.js";

/** Item is 1-based, as documented; an index outside the list gives null. */
function item(args: readonly ExprValue[]): ExprValue {
  const list = toList(args[0] ?? null, "Item");
  const index = toInteger(args[1] ?? null, "Item");
  if (index === null) return null;
  if (index < 1)
    throw new ExpressionEvaluationError("EXPR_BAD_VALUE", "Item", `the index is 1-based; ${index} is not allowed`);
  return list[index - 1] ?? null;
}

function split(args: readonly ExprValue[]): ExprValue {
  const text = toText(args[0] ?? null, "Split");
  const delimiter = toText(args[1] ?? null, "Split");
  if (text === null) return null;
  // .NET String.Split semantics: no trimming of the pieces.
  return delimiter === null || delimiter === "" ? [text] : text.split(delimiter);
}

/**
 * With several app roles Entra picks one, unspecified which. We pick the smallest value in
 * ordinal order, so the result does not depend on Graph's order and cycles stay stable.
 */
function singleAppRoleAssignment(args: readonly ExprValue[]): ExprValue {
  const roles = toList(args[0] ?? null, "SingleAppRoleAssignment").filter((role) => role !== "");
  if (roles.length === 0) return null;
  return [...roles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[0] ?? null;
}

export const LIST_FUNCTIONS: FunctionEntries = [
  ["Count", { min: 1, max: 1, run: (args) => toList(args[0] ?? null, "Count").length }],
  ["Item", { min: 2, max: 2, run: item }],
  [
    "RemoveDuplicates",
    {
      min: 1,
      max: 1,
      run: (args) => {
        const value = args[0] ?? null;
        return Array.isArray(value) ? [...new Set(value)] : value;
      },
    },
  ],
  ["SingleAppRoleAssignment", { min: 1, max: 1, run: singleAppRoleAssignment }],
  ["Split", { min: 2, max: 2, run: split }],
];
