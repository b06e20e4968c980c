import { ExpressionEvaluationError } from "./errors.js";

/** A value an expression yields; `readonly string[]` is a multi-valued attribute. */
export type ExprValue = string | number | boolean | null | readonly string[];

/**
 * What IgnoreFlowIfNullOrEmpty yields when its argument is null or empty: "leave the target
 * attribute alone". A symbol, not a special string, so no attribute value can ever forge it.
 * Any function that receives it as an argument passes it on unchanged, so
 * `ToLower(IgnoreFlowIfNullOrEmpty([x]))` still means "skip".
 */
export const IGNORE_FLOW: unique symbol = Symbol("IgnoreFlowIfNullOrEmpty");
export type IgnoreFlow = typeof IGNORE_FLOW;
export type EvalResult = ExprValue | IgnoreFlow;

export function isIgnoreFlow(value: unknown): value is IgnoreFlow {
  return value === IGNORE_FLOW;
}

export function isNullOrEmpty(value: ExprValue): boolean {
  return value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

/** .NET's Boolean.ToString, which Entra's string results show ("True"/"False"). */
export function booleanText(value: boolean): string {
  return value ? "True" : "False";
}

/** A single value as text; a one-element list counts as its element, a longer one is refused. */
export function toText(value: ExprValue, fn: string): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return booleanText(value);
  if (value.length === 0) return null;
  if (value.length === 1) return value[0] ?? null;
  throw new ExpressionEvaluationError(
    "EXPR_MULTI_VALUED",
    fn,
    `expected a single value but got ${value.length} values`,
  );
}

export function toNumber(value: ExprValue, fn: string): number | null {
  const text = toText(value, fn);
  if (text === null || text.trim() === "") return null;
  const number = typeof value === "number" ? value : Number(text.trim());
  if (!Number.isFinite(number))
    throw new ExpressionEvaluationError("EXPR_BAD_VALUE", fn, `"${clip(text)}" is not a number`);
  return number;
}

export function toInteger(value: ExprValue, fn: string): number | null {
  const number = toNumber(value, fn);
  return number === null ? null : Math.trunc(number);
}

/** "True"/"False" in any case, booleans, and numbers (non-zero is true), as VBA's CBool. */
export function toBoolean(value: ExprValue, fn: string): boolean | null {
  if (typeof value === "boolean") return value;
  const text = toText(value, fn);
  if (text === null || text.trim() === "") return null;
  const lower = text.trim().toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  const number = Number(lower);
  if (Number.isFinite(number)) return number !== 0;
  throw new ExpressionEvaluationError(
    "EXPR_BAD_VALUE",
    fn,
    `"${clip(text)}" is not a Boolean (expected "True" or "False")`,
  );
}

export function toList(value: ExprValue, fn: string): readonly string[] {
  if (Array.isArray(value)) return value;
  const text = toText(value, fn);
  return text === null ? [] : [text];
}

/** Turns a raw source attribute (Graph JSON) into an expression value. */
export function fromAttribute(raw: unknown, name: string): ExprValue {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === "string") checkLength(raw.length, `[${name}]`);
  if (typeof raw === "string" || typeof raw === "boolean") return raw;
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : null;
  if (typeof raw === "bigint") return raw.toString();
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.toISOString();
  if (Array.isArray(raw)) {
    const items: string[] = [];
    for (const item of raw as readonly unknown[]) {
      const value = fromAttribute(item, name);
      if (value === null) continue;
      if (Array.isArray(value))
        throw new ExpressionEvaluationError("EXPR_BAD_VALUE", `[${name}]`, "nested lists are not supported");
      items.push(toText(value, `[${name}]`) ?? "");
    }
    return items;
  }
  throw new ExpressionEvaluationError("EXPR_BAD_VALUE", `[${name}]`, `a ${typeof raw} cannot be used in an expression`);
}

/**
 * The longest text an expression may produce. Without a cap, nesting Replace templates or Join
 * separators multiplies lengths at each level (50 levels deep) and could exhaust memory.
 */
export const MAX_TEXT_LENGTH = 1_000_000;

export function checkLength(length: number, fn: string): void {
  if (length > MAX_TEXT_LENGTH) {
    throw new ExpressionEvaluationError(
      "EXPR_BAD_VALUE",
      fn,
      `the result would be longer than ${MAX_TEXT_LENGTH} characters`,
    );
  }
}

export function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
