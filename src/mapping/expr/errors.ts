import { ConfigError, SyncError } from "../../model/index.js";

export type ExpressionErrorCode =
  | "EXPR_SYNTAX"
  | "EXPR_UNTERMINATED_STRING"
  | "EXPR_UNKNOWN_FUNCTION"
  | "EXPR_UNKNOWN_NAME"
  | "EXPR_ARITY"
  | "EXPR_MISSING_ARGUMENT"
  | "EXPR_INVALID_ARGUMENT"
  | "EXPR_NOT_TOP_LEVEL"
  | "EXPR_TOO_LONG"
  | "EXPR_TOO_DEEP";

/**
 * A mistake in an expression's text, found when it is compiled (at config load).
 * `column` is 1-based and counts characters from the start of the whole source, newlines
 * included, so a multi-line YAML expression still points at one place.
 */
export class ExpressionError extends ConfigError {
  readonly column: number;
  readonly expected: string;

  constructor(code: ExpressionErrorCode, column: number, expected: string, found: string) {
    const detail = expected === "" ? found : `expected ${expected} but found ${found}`;
    super(code, `column ${column}: ${detail}`);
    this.column = column;
    this.expected = expected;
  }
}

export type EvaluationErrorCode =
  | "EXPR_NULL_CONDITION"
  | "EXPR_BAD_VALUE"
  | "EXPR_MULTI_VALUED"
  | "EXPR_NOT_UNIQUE"
  | "EXPR_INTERNAL";

/**
 * A failure while evaluating a valid expression against one object (e.g. IIF on a null
 * condition). It is per object, not a config error: the mapping layer reports the object as
 * failed and goes on, as Entra escrows it.
 */
export class ExpressionEvaluationError extends SyncError {
  readonly functionName: string;

  constructor(code: EvaluationErrorCode, functionName: string, message: string, options?: { cause?: unknown }) {
    super(code, `${functionName}: ${message}`, options);
    this.functionName = functionName;
  }
}
