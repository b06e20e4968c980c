import type { EvalContext } from "../context.js";
import type { EvalResult, ExprValue } from "../values.js";

interface Common {
  readonly min: number;
  readonly max: number;
  /** Argument positions that may be left empty (`F(a, , c)`); every other position must hold a value. */
  readonly optional?: readonly number[];
  /** An extra arity rule (e.g. Switch's key/value pairs); returns what was expected, or null. */
  readonly arityRule?: (count: number) => string | null;
  /** Checks a string literal argument at compile time (regex patterns, intervals); returns the problem, or null. */
  readonly literal?: (index: number, value: string) => string | null;
  /** SelectUniqueValue must be the whole expression. */
  readonly topLevelOnly?: boolean;
}

/** Arguments evaluated first; a function never sees IGNORE_FLOW (the evaluator passes it on). */
export interface EagerFunction extends Common {
  readonly lazy?: false;
  readonly run: (args: readonly ExprValue[], ctx: EvalContext) => EvalResult;
}

/** Evaluates only the arguments it needs (IIF's branch, Switch's value, Coalesce's first value). */
export interface LazyFunction extends Common {
  readonly lazy: true;
  readonly run: (arg: (index: number) => EvalResult, count: number, ctx: EvalContext) => EvalResult;
}

export type FunctionSpec = EagerFunction | LazyFunction;
export type FunctionEntries = ReadonlyArray<readonly [string, FunctionSpec]>;
