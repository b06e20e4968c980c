import type { ComparisonOperator } from "./ast.js";
import { toBoolean, toText, type ExprValue } from "./values.js";

/**
 * The comparison operators IIF conditions use. A null or empty operand gives null, which makes
 * IIF fail, as Entra documents. Numbers compare as numbers when both sides are numeric; booleans
 * as booleans ("True" in any case); everything else as case-sensitive ordinal strings.
 */
export function compareValues(operator: ComparisonOperator, left: ExprValue, right: ExprValue): boolean | null {
  const where = `"${operator}"`;
  const a = toText(left, where);
  const b = toText(right, where);
  if (a === null || b === null) return null;
  let order: number;
  if (typeof left === "boolean" || typeof right === "boolean") {
    const x = safeBoolean(left);
    const y = safeBoolean(right);
    if (x === null || y === null) return operator === "<>" ? true : operator === "=" ? false : null;
    order = Number(x) - Number(y);
  } else if (
    isNumeric(a) &&
    isNumeric(b) &&
    (typeof left === "number" || typeof right === "number" || !isEquality(operator))
  ) {
    order = Math.sign(Number(a) - Number(b));
  } else {
    order = a < b ? -1 : a > b ? 1 : 0;
  }
  switch (operator) {
    case "=":
      return order === 0;
    case "<>":
      return order !== 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    default:
      return order >= 0;
  }
}

function isEquality(operator: ComparisonOperator): boolean {
  return operator === "=" || operator === "<>";
}

function isNumeric(text: string): boolean {
  return text.trim() !== "" && Number.isFinite(Number(text));
}

function safeBoolean(value: ExprValue): boolean | null {
  try {
    return toBoolean(value, "compare");
  } catch {
    return null;
  }
}
