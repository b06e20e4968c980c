import { compileExpression, type EvalContext, type EvalResult } from "../../../src/mapping/expr/index.js";

export const FIXED_NOW = new Date("2021-07-02T15:33:38Z");

export function context(
  attributes: Readonly<Record<string, unknown>> = {},
  extra: Partial<EvalContext> = {},
): EvalContext {
  return { attributes, now: () => FIXED_NOW, random: () => 0.5, ...extra };
}

export function evaluate(
  source: string,
  attributes: Readonly<Record<string, unknown>> = {},
  extra: Partial<EvalContext> = {},
): EvalResult {
  return compileExpression(source).evaluate(context(attributes, extra));
}

/** A deterministic random() cycling through a sequence, for Guid and RandomString. */
export function sequence(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
}
