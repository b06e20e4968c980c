import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/model/index.js";
import { compileExpression, ExpressionError, MAX_DEPTH, MAX_SOURCE_LENGTH } from "../../../src/mapping/expr/index.js";

function compileError(source: string): ExpressionError {
  try {
    compileExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`"${source}" compiled`);
}

type Row = readonly [name: string, source: string, code: string, column: number, messagePart: string];

const rows: readonly Row[] = [
  [
    "missing closing parenthesis",
    'Append([a], "x"',
    "EXPR_SYNTAX",
    16,
    'column 16: expected ")" or "," but found end of expression',
  ],
  ["one parenthesis too many", 'Append([a], "x"))', "EXPR_SYNTAX", 17, 'expected end of expression but found ")"'],
  ["missing comma", 'Append([a] "x")', "EXPR_SYNTAX", 12, 'expected ")" or ","'],
  ["unclosed attribute bracket", 'Append([a, "x")', "EXPR_SYNTAX", 16, 'expected "]"'],
  ["empty attribute name", "ToLower([])", "EXPR_SYNTAX", 10, "expected an attribute name"],
  ["stray character", "Append([a], @)", "EXPR_SYNTAX", 13, 'found "@)"'],
  ["operator without left operand", 'IIF([a] = = "x", "1", "2")', "EXPR_SYNTAX", 11, "expected a function"],
  ["empty expression", "   ", "EXPR_SYNTAX", 1, "found end of expression"],
  ["unterminated string", 'Append([a], "x)', "EXPR_UNTERMINATED_STRING", 13, "never closed"],
  ["unterminated string ending in an escaped quote", 'ToLower("abc\\")', "EXPR_UNTERMINATED_STRING", 9, "never closed"],
  ["unknown function", "Foo([a])", "EXPR_UNKNOWN_FUNCTION", 1, 'unknown function "Foo"'],
  [
    "function names are case sensitive",
    'Join(",", toLower([a]))',
    "EXPR_UNKNOWN_FUNCTION",
    11,
    "did you mean ToLower?",
  ],
  ["no prototype access: constructor", "constructor()", "EXPR_UNKNOWN_FUNCTION", 1, "constructor"],
  ["no prototype access: __proto__", "__proto__([a])", "EXPR_UNKNOWN_FUNCTION", 1, "__proto__"],
  ["no prototype access: toString", "Join(toString(), [a])", "EXPR_UNKNOWN_FUNCTION", 6, "toString"],
  ["too few arguments", 'Left("abc")', "EXPR_ARITY", 1, "expected 2 arguments for Left but found 1"],
  ["too many arguments", 'ToLower([a], "en-US", "x")', "EXPR_ARITY", 1, "expected 1 to 2 arguments for ToLower"],
  ["arguments to a nullary function", "Now(1)", "EXPR_ARITY", 1, "expected 0 arguments for Now"],
  ["Switch needs key/value pairs", 'Switch([a], "d", "k", "v", "k2")', "EXPR_ARITY", 1, "an even number of arguments"],
  ["variadic minimum", 'Join(",")', "EXPR_ARITY", 1, "at least 2 arguments"],
  ["empty argument where one is required", "Mid([a], , 2)", "EXPR_MISSING_ARGUMENT", 10, "expected argument 2 of Mid"],
  [
    "bare word instead of an attribute",
    "ToLower(userPrincipalName)",
    "EXPR_UNKNOWN_NAME",
    9,
    "attributes go in [brackets]",
  ],
  [
    "regex RE2 cannot run (backreference)",
    'Replace([a], , "(a)\\\\1", , "", , )',
    "EXPR_INVALID_ARGUMENT",
    16,
    "not a supported regular expression",
  ],
  [
    "regex syntax error",
    'Replace([a], , "(", , "", , )',
    "EXPR_INVALID_ARGUMENT",
    16,
    "not a supported regular expression",
  ],
  ["unknown DateAdd interval", 'DateAdd("q", 1, Now())', "EXPR_INVALID_ARGUMENT", 9, '"q" is not an interval'],
  ["unknown culture", 'ToLower([a], "not a culture!")', "EXPR_INVALID_ARGUMENT", 14, "not a culture name"],
  ["SelectUniqueValue nested", 'Join(",", SelectUniqueValue([a],[b]))', "EXPR_NOT_TOP_LEVEL", 11, "cannot be nested"],
  ["columns count newlines as characters", 'Join(",",\n  [a],\n  Foo())', "EXPR_UNKNOWN_FUNCTION", 20, "Foo"],
];

describe("compile errors carry a code and a 1-based column", () => {
  it.each(rows)("%s", (_name, source, code, column, messagePart) => {
    const error = compileError(source);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe(code);
    expect(error.column).toBe(column);
    expect(error.message).toContain(`column ${column}:`);
    expect(error.message).toContain(messagePart);
  });

  it("exposes what was expected", () => {
    expect(compileError('Append([a], "x"').expected).toBe('")" or ","');
  });

  it(`refuses more than ${MAX_SOURCE_LENGTH} characters`, () => {
    const error = compileError(`Join("", "${"x".repeat(MAX_SOURCE_LENGTH)}")`);
    expect(error.code).toBe("EXPR_TOO_LONG");
    expect(error.column).toBe(MAX_SOURCE_LENGTH + 1);
  });

  it(`accepts exactly ${MAX_SOURCE_LENGTH} characters`, () => {
    const source = `"${"x".repeat(MAX_SOURCE_LENGTH - 2)}"`;
    expect(compileExpression(source).source).toHaveLength(MAX_SOURCE_LENGTH);
  });

  it(`refuses nesting deeper than ${MAX_DEPTH}`, () => {
    const deep = `${"ToLower(".repeat(MAX_DEPTH + 1)}[a]${")".repeat(MAX_DEPTH + 1)}`;
    const error = compileError(deep);
    expect(error.code).toBe("EXPR_TOO_DEEP");
    expect(error.column).toBe(MAX_DEPTH * "ToLower(".length + 1);
  });

  it(`accepts nesting of exactly ${MAX_DEPTH}`, () => {
    const deep = `${"ToLower(".repeat(MAX_DEPTH)}[a]${")".repeat(MAX_DEPTH)}`;
    expect(compileExpression(deep).evaluate({ attributes: { a: "X" }, now: () => new Date(0), random: () => 0 })).toBe(
      "x",
    );
  });

  it("deep unclosed nesting fails fast without a stack overflow", () => {
    expect(compileError("ToLower(".repeat(1000)).code).toBe("EXPR_TOO_DEEP");
  });
});

describe("compiled expressions", () => {
  it("list the attributes they read, once each, first spelling kept", () => {
    const compiled = compileExpression('Join(" ", [givenName], [surname], [GIVENNAME], IIF([country]="FR", [c], [d]))');
    expect(compiled.attributes).toEqual(["givenName", "surname", "country", "c", "d"]);
  });

  it("say when they use Redact", () => {
    expect(compileExpression("Redact([a])").redacted).toBe(true);
    expect(compileExpression("[a]").redacted).toBe(false);
  });

  it("only read own attributes (no prototype lookups)", () => {
    const compiled = compileExpression('Coalesce([constructor], [__proto__], [toString], "none")');
    expect(compiled.evaluate({ attributes: {}, now: () => new Date(0), random: () => 0 })).toBe("none");
  });
});
