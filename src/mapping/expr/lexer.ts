import type { ComparisonOperator } from "./ast.js";
import { ExpressionError } from "./errors.js";

export type Token =
  | { readonly kind: "(" | ")" | "," | "end"; readonly column: number }
  | { readonly kind: "string"; readonly value: string; readonly column: number }
  | { readonly kind: "number"; readonly value: number; readonly column: number }
  | { readonly kind: "attribute" | "name"; readonly value: string; readonly column: number }
  | { readonly kind: "operator"; readonly value: ComparisonOperator; readonly column: number };

/** Entra's documented limit on an expression's length. */
export const MAX_SOURCE_LENGTH = 10_000;

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const HEX = /^[0-9A-Fa-f]+/;

/** Splits the source into tokens; each regex here is anchored and matches one character class, so lexing is linear. */
export function tokenize(source: string): Token[] {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new ExpressionError(
      "EXPR_TOO_LONG",
      MAX_SOURCE_LENGTH + 1,
      "",
      `the expression is ${source.length} characters long; the limit is ${MAX_SOURCE_LENGTH}`,
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    const column = i + 1;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ kind: ch, column });
      i += 1;
    } else if (ch === '"') {
      const [value, next] = readString(source, i);
      tokens.push({ kind: "string", value, column });
      i = next;
    } else if (ch === "[") {
      const close = source.indexOf("]", i + 1);
      const name = close < 0 ? "" : source.slice(i + 1, close).trim();
      if (close < 0) throw new ExpressionError("EXPR_SYNTAX", source.length + 1, '"]"', "end of expression");
      if (name === "" || /[[\n\r]/.test(name))
        throw new ExpressionError("EXPR_SYNTAX", column + 1, "an attribute name", describe(source, i + 1));
      tokens.push({ kind: "attribute", value: name, column });
      i = close + 1;
    } else if (DIGIT.test(ch) || (ch === "-" && DIGIT.test(source.charAt(i + 1)))) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(source.slice(i, i + 400)) ?? [""];
      tokens.push({ kind: "number", value: Number(match[0]), column });
      i += match[0].length;
    } else if (ch === "&" && (source.charAt(i + 1) === "H" || source.charAt(i + 1) === "h")) {
      // VBA hex literal, as in Microsoft's BitAnd example `BitAnd(&HF, &HF7)`.
      const digits = HEX.exec(source.slice(i + 2, i + 18))?.[0] ?? "";
      if (digits === "")
        throw new ExpressionError("EXPR_SYNTAX", column + 2, "hexadecimal digits", describe(source, i + 2));
      tokens.push({ kind: "number", value: Number.parseInt(digits, 16), column });
      i += 2 + digits.length;
    } else if (NAME_START.test(ch)) {
      let end = i + 1;
      while (end < source.length && NAME_PART.test(source.charAt(end))) end += 1;
      tokens.push({ kind: "name", value: source.slice(i, end), column });
      i = end;
    } else if (ch === "=" || ch === "<" || ch === ">") {
      const two = source.slice(i, i + 2);
      const operator: ComparisonOperator = two === "<>" || two === "<=" || two === ">=" ? two : ch;
      tokens.push({ kind: "operator", value: operator, column });
      i += operator.length;
    } else {
      throw new ExpressionError(
        "EXPR_SYNTAX",
        column,
        'a function, an [attribute], a "string" or a number',
        describe(source, i),
      );
    }
  }
  tokens.push({ kind: "end", column: source.length + 1 });
  return tokens;
}

function readString(source: string, start: number): [string, number] {
  let value = "";
  let i = start + 1;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (ch === '"') return [value, i + 1];
    if (ch === "\\" && (source.charAt(i + 1) === '"' || source.charAt(i + 1) === "\\")) {
      value += source.charAt(i + 1);
      i += 2;
    } else {
      // A backslash before any other character stays literal, so regex patterns such as
      // "\d" survive; Microsoft's examples double them ("\\d"), which also works.
      value += ch;
      i += 1;
    }
  }
  throw new ExpressionError(
    "EXPR_UNTERMINATED_STRING",
    start + 1,
    "",
    "a string that starts here is never closed with '\"'",
  );
}

/** A short, quoted view of what sits at `index`, for "found …" in messages. */
export function describe(source: string, index: number): string {
  if (index >= source.length) return "end of expression";
  return JSON.stringify(source.slice(index, index + 12));
}
