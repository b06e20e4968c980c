import type { ExprNode } from "./ast.js";
import { compareValues } from "./compare.js";
import type { EvalContext } from "./context.js";
import { ExpressionEvaluationError } from "./errors.js";
import { FUNCTIONS } from "./functions/table.js";
import { checkLength, fromAttribute, IGNORE_FLOW, isIgnoreFlow, type EvalResult, type ExprValue } from "./values.js";

/** Walks a checked tree. Recursion depth is bounded by the parser's nesting limit. */
export function evaluateNode(node: ExprNode, ctx: EvalContext): EvalResult {
  switch (node.kind) {
    case "string":
    case "number":
      return node.value;
    case "name":
      return node.name;
    case "empty":
      return null;
    case "attribute":
      return fromAttribute(lookupAttribute(ctx.attributes, node.name), node.name);
    case "compare": {
      const left = evaluateNode(node.left, ctx);
      const right = evaluateNode(node.right, ctx);
      if (isIgnoreFlow(left) || isIgnoreFlow(right)) return IGNORE_FLOW;
      return compareValues(node.operator, left, right);
    }
    case "call": {
      const result = callFunction(node.name, node.args, ctx);
      if (typeof result === "string") checkLength(result.length, node.name);
      return result;
    }
  }
}

function callFunction(name: string, args: readonly ExprNode[], ctx: EvalContext): EvalResult {
  const spec = FUNCTIONS.get(name);
  if (spec === undefined)
    throw new ExpressionEvaluationError("EXPR_INTERNAL", name, "unknown function (the expression was not checked)");
  if (spec.lazy === true) {
    return spec.run(
      (index) => {
        const arg = args[index];
        return arg === undefined ? null : evaluateNode(arg, ctx);
      },
      args.length,
      ctx,
    );
  }
  const values: ExprValue[] = [];
  for (const arg of args) {
    const value = evaluateNode(arg, ctx);
    if (isIgnoreFlow(value)) return IGNORE_FLOW;
    values.push(value);
  }
  return spec.run(values, ctx);
}

/** Entra's attribute names are case-insensitive; only own properties count, so `[__proto__]` is just absent. */
export function lookupAttribute(attributes: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(attributes, name)) return attributes[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(attributes)) {
    if (key.toLowerCase() === lower) return attributes[key];
  }
  return undefined;
}
