import type { EvalContext } from "../context.js";
import { ExpressionEvaluationError } from "../errors.js";
import { IGNORE_FLOW, isIgnoreFlow, isNullOrEmpty, toBoolean, toInteger, toText, type EvalResult } from "../values.js";
import type { FunctionEntries } from "./types.js";

/** IIF: Entra fails the object when the condition is null (documented limitation), so do we. */
function iif(arg: (index: number) => EvalResult): EvalResult {
  const condition = arg(0);
  if (isIgnoreFlow(condition)) return condition;
  const truth = toBoolean(condition, "IIF");
  if (truth === null) {
    throw new ExpressionEvaluationError(
      "EXPR_NULL_CONDITION",
      "IIF",
      "the condition is null or empty (Entra cannot evaluate it either; use Switch to test for empty values)",
    );
  }
  return arg(truth ? 1 : 2);
}

/** Switch: case-sensitive; a null source matches the key "" (Microsoft's advice for empty values). */
function switchValue(arg: (index: number) => EvalResult, count: number): EvalResult {
  const source = arg(0);
  if (isIgnoreFlow(source)) return source;
  const text = toText(source, "Switch") ?? "";
  for (let index = 2; index + 1 < count; index += 2) {
    const key = arg(index);
    if (isIgnoreFlow(key)) return key;
    if ((toText(key, "Switch") ?? "") === text) return arg(index + 1);
  }
  return arg(1);
}

function coalesce(arg: (index: number) => EvalResult, count: number): EvalResult {
  for (let index = 0; index < count; index += 1) {
    const value = arg(index);
    if (isIgnoreFlow(value) || !(value === null || (Array.isArray(value) && value.length === 0))) return value;
  }
  return null;
}

/** Uniqueness is the caller's (an injected check); without one the first non-empty rule wins. */
function selectUniqueValue(arg: (index: number) => EvalResult, count: number, ctx: EvalContext): EvalResult {
  for (let index = 0; index < count; index += 1) {
    const value = arg(index);
    if (isIgnoreFlow(value)) return value;
    const text = toText(value, "SelectUniqueValue");
    if (text === null || text === "") continue;
    if (ctx.isUniqueValue === undefined || ctx.isUniqueValue(text)) return text;
  }
  throw new ExpressionEvaluationError(
    "EXPR_NOT_UNIQUE",
    "SelectUniqueValue",
    `none of the ${count} candidate values is unique in the target`,
  );
}

function bitAnd(left: bigint | null, right: bigint | null): number | null {
  if (left === null || right === null) return null;
  return Number(BigInt.asIntN(64, left & right));
}

function toBigInt(value: Parameters<typeof toInteger>[0]): bigint | null {
  const number = toInteger(value, "BitAnd");
  return number === null ? null : BigInt(number);
}

export const LOGIC_FUNCTIONS: FunctionEntries = [
  ["BitAnd", { min: 2, max: 2, run: (args) => bitAnd(toBigInt(args[0] ?? null), toBigInt(args[1] ?? null)) }],
  ["CBool", { min: 1, max: 1, run: (args) => toBoolean(args[0] ?? null, "CBool") }],
  ["Coalesce", { min: 1, max: Number.POSITIVE_INFINITY, lazy: true, run: coalesce }],
  [
    "IgnoreFlowIfNullOrEmpty",
    { min: 1, max: 1, run: (args) => (isNullOrEmpty(args[0] ?? null) ? IGNORE_FLOW : (args[0] ?? null)) },
  ],
  ["IIF", { min: 3, max: 3, lazy: true, run: iif }],
  [
    "IsNull",
    {
      min: 1,
      max: 1,
      run: (args) => {
        const v = args[0] ?? null;
        return v === null || (Array.isArray(v) && v.length === 0);
      },
    },
  ],
  ["IsNullOrEmpty", { min: 1, max: 1, run: (args) => isNullOrEmpty(args[0] ?? null) }],
  ["IsPresent", { min: 1, max: 1, run: (args) => !isNullOrEmpty(args[0] ?? null) }],
  ["IsString", { min: 1, max: 1, run: (args) => typeof args[0] === "string" }],
  // Documented: "If source value is True, returns False. Otherwise, returns True." (null included)
  [
    "Not",
    {
      min: 1,
      max: 1,
      run: (args) => {
        const v = args[0] ?? null;
        return !(v === true || (typeof v === "string" && v.trim().toLowerCase() === "true"));
      },
    },
  ],
  [
    "SelectUniqueValue",
    { min: 2, max: Number.POSITIVE_INFINITY, lazy: true, topLevelOnly: true, run: selectUniqueValue },
  ],
  [
    "Switch",
    {
      min: 4,
      max: Number.POSITIVE_INFINITY,
      optional: [1],
      lazy: true,
      run: switchValue,
      arityRule: (count) =>
        count % 2 === 0 ? null : "an even number of arguments (source, default, then key/value pairs)",
    },
  ],
];
