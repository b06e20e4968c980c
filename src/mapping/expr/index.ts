/**
 * Entra's attribute-mapping expression language: parse → check → evaluate, in a closed world.
 *
 * - `compileExpression(source)` parses and checks once (at config load) and throws
 *   `ExpressionError` (a ConfigError with `code`, 1-based `column` and `expected`).
 * - `evaluate(ctx)` runs against one object. It returns an `ExprValue`, or `IGNORE_FLOW` when
 *   IgnoreFlowIfNullOrEmpty met a null or empty value: the mapping layer must then leave that
 *   target attribute out entirely (test with `isIgnoreFlow`). It throws only
 *   `ExpressionEvaluationError` (e.g. IIF on a null condition): that object fails, others go on.
 */
import type { ExprNode } from "./ast.js";
import { checkExpression } from "./checker.js";
import type { EvalContext } from "./context.js";
import { ExpressionEvaluationError } from "./errors.js";
import { evaluateNode } from "./evaluator.js";
import { parseExpression } from "./parser.js";
import type { EvalResult } from "./values.js";

export type { EvalContext } from "./context.js";
export {
  ExpressionError,
  ExpressionEvaluationError,
  type EvaluationErrorCode,
  type ExpressionErrorCode,
} from "./errors.js";
export { lookupAttribute } from "./evaluator.js";
export { IGNORE_FLOW, isIgnoreFlow, type EvalResult, type ExprValue, type IgnoreFlow } from "./values.js";
export { MAX_SOURCE_LENGTH } from "./lexer.js";
export { MAX_DEPTH } from "./parser.js";
export { ENTRA_DATE_FORMAT } from "./date-parse.js";

export interface CompiledExpression {
  readonly source: string;
  /** Source attribute names referenced (for Graph `$select`), as first spelled. */
  readonly attributes: readonly string[];
  /** True when the expression uses Redact(): keep its value out of logs. */
  readonly redacted: boolean;
  evaluate(ctx: EvalContext): EvalResult;
}

export function compileExpression(source: string): CompiledExpression {
  const tree = parseExpression(source);
  const { attributes, redacted } = checkExpression(tree);
  return Object.freeze({
    source,
    attributes: Object.freeze(attributes),
    redacted,
    evaluate: (ctx: EvalContext) => run(tree, ctx),
  });
}

function run(tree: ExprNode, ctx: EvalContext): EvalResult {
  try {
    return evaluateNode(tree, ctx);
  } catch (error) {
    if (error instanceof ExpressionEvaluationError) throw error;
    // A bug of ours or a host failure (e.g. an injected clock that throws): still a typed error.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExpressionEvaluationError("EXPR_INTERNAL", "evaluate", reason, { cause: error });
  }
}
