import type { ExprNode } from "./ast.js";
import { ExpressionError } from "./errors.js";
import { describe, tokenize, type Token } from "./lexer.js";

/** How deeply calls may nest; far beyond real mappings, well below the JS stack limit. */
export const MAX_DEPTH = 50;

const OPERAND = 'a function, an [attribute], a "string" or a number';

/** Recursive descent over the grammar:
 *  expression := operand [ ("=" | "<>" | "<" | "<=" | ">" | ">=") operand ]
 *  operand    := string | number | [attribute] | name | name "(" [ argument { "," argument } ] ")"
 *  argument   := expression | (nothing: an empty argument) */
export function parseExpression(source: string): ExprNode {
  const parser = new Parser(source, tokenize(source));
  if (parser.peek().kind === "end") throw new ExpressionError("EXPR_SYNTAX", 1, OPERAND, "end of expression");
  const node = parser.expression(0);
  const rest = parser.peek();
  if (rest.kind !== "end") parser.fail(rest, "end of expression");
  return node;
}

class Parser {
  private index = 0;
  private readonly source: string;
  private readonly tokens: readonly Token[];

  constructor(source: string, tokens: readonly Token[]) {
    this.source = source;
    this.tokens = tokens;
  }

  peek(): Token {
    // The token list always ends with "end", and `index` never passes it.
    return this.tokens[this.index] ?? { kind: "end", column: this.source.length + 1 };
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index += 1;
    return token;
  }

  fail(token: Token, expected: string): never {
    throw new ExpressionError("EXPR_SYNTAX", token.column, expected, describe(this.source, token.column - 1));
  }

  expression(depth: number): ExprNode {
    const left = this.operand(depth);
    const token = this.peek();
    if (token.kind !== "operator") return left;
    this.next();
    const right = this.operand(depth);
    return { kind: "compare", operator: token.value, left, right, column: token.column };
  }

  private operand(depth: number): ExprNode {
    const token = this.next();
    switch (token.kind) {
      case "string":
        return { kind: "string", value: token.value, column: token.column };
      case "number":
        return { kind: "number", value: token.value, column: token.column };
      case "attribute":
        return { kind: "attribute", name: token.value, column: token.column };
      case "name":
        if (this.peek().kind !== "(") return { kind: "name", name: token.value, column: token.column };
        return this.call(token.value, token.column, depth + 1);
      default:
        return this.fail(token, OPERAND);
    }
  }

  private call(name: string, column: number, depth: number): ExprNode {
    if (depth > MAX_DEPTH) {
      throw new ExpressionError("EXPR_TOO_DEEP", column, "", `functions nest more than ${MAX_DEPTH} deep`);
    }
    this.next(); // "("
    const args: ExprNode[] = [];
    if (this.peek().kind === ")") return { kind: "call", name, args, column, end: this.next().column };
    for (;;) {
      const start = this.peek();
      args.push(
        start.kind === "," || start.kind === ")" ? { kind: "empty", column: start.column } : this.expression(depth),
      );
      const separator = this.next();
      if (separator.kind === ")") return { kind: "call", name, args, column, end: separator.column };
      if (separator.kind !== ",") this.fail(separator, '")" or ","');
    }
  }
}
