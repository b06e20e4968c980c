import type { ExprNode } from "./ast.js";
import { ExpressionError } from "./errors.js";
import { FUNCTIONS, NAMED_CONSTANTS } from "./functions/table.js";

export interface CheckResult {
  /** Source attribute names, first spelling kept, duplicates (ignoring case) dropped. */
  readonly attributes: readonly string[];
  /** Whether Redact() appears: the value must not reach logs. */
  readonly redacted: boolean;
}

/** Every call names a known function with an allowed number of arguments; literals that can be checked early are. */
export function checkExpression(root: ExprNode): CheckResult {
  const attributes = new Map<string, string>();
  let redacted = false;
  const visit = (node: ExprNode, topLevel: boolean): void => {
    switch (node.kind) {
      case "attribute":
        if (!attributes.has(node.name.toLowerCase())) attributes.set(node.name.toLowerCase(), node.name);
        return;
      case "name":
        if (!NAMED_CONSTANTS.has(node.name)) {
          throw new ExpressionError(
            "EXPR_UNKNOWN_NAME",
            node.column,
            "",
            `unknown name "${node.name}" (attributes go in [brackets], functions need parentheses)`,
          );
        }
        return;
      case "compare":
        visit(node.left, false);
        visit(node.right, false);
        return;
      case "call":
        checkCall(node, topLevel);
        if (node.name === "Redact") redacted = true;
        for (const arg of node.args) visit(arg, false);
        return;
      default:
        return;
    }
  };
  visit(root, true);
  return { attributes: [...attributes.values()], redacted };
}

function checkCall(node: Extract<ExprNode, { kind: "call" }>, topLevel: boolean): void {
  const spec = FUNCTIONS.get(node.name);
  if (spec === undefined) {
    const near = [...FUNCTIONS.keys()].find((name) => name.toLowerCase() === node.name.toLowerCase());
    const hint = near === undefined ? "" : ` (did you mean ${near}? function names are case sensitive)`;
    throw new ExpressionError("EXPR_UNKNOWN_FUNCTION", node.column, "", `unknown function "${node.name}"${hint}`);
  }
  const count = node.args.length;
  if (count < spec.min || count > spec.max) {
    const range =
      spec.min === spec.max
        ? `${spec.min}`
        : spec.max === Number.POSITIVE_INFINITY
          ? `at least ${spec.min}`
          : `${spec.min} to ${spec.max}`;
    throw new ExpressionError(
      "EXPR_ARITY",
      node.column,
      `${range} argument${range === "1" ? "" : "s"} for ${node.name}`,
      `${count}`,
    );
  }
  const rule = spec.arityRule?.(count) ?? null;
  if (rule !== null) throw new ExpressionError("EXPR_ARITY", node.column, `${rule} for ${node.name}`, `${count}`);
  if (spec.topLevelOnly === true && !topLevel) {
    throw new ExpressionError(
      "EXPR_NOT_TOP_LEVEL",
      node.column,
      "",
      `${node.name} must be the whole expression; it cannot be nested`,
    );
  }
  node.args.forEach((arg, index) => {
    if (arg.kind === "empty" && !(spec.optional ?? []).includes(index)) {
      throw new ExpressionError(
        "EXPR_MISSING_ARGUMENT",
        arg.column,
        `argument ${index + 1} of ${node.name}`,
        "nothing",
      );
    }
    const problem = arg.kind === "string" ? (spec.literal?.(index, arg.value) ?? null) : null;
    if (problem !== null)
      throw new ExpressionError(
        "EXPR_INVALID_ARGUMENT",
        arg.column,
        "",
        `${node.name} argument ${index + 1}: ${problem}`,
      );
  });
}
