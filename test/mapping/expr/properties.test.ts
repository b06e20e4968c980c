import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParameters, seeded } from "../../support/fuzz-seed.js";
import {
  compileExpression,
  ExpressionError,
  ExpressionEvaluationError,
  isIgnoreFlow,
} from "../../../src/mapping/expr/index.js";
import { FUNCTIONS } from "../../../src/mapping/expr/functions/table.js";

const FRAGMENTS = [
  "Join(",
  "IIF(",
  "Switch(",
  "Replace(",
  "FormatDateTime(",
  "SelectUniqueValue(",
  "ToLower(",
  "Foo(",
  "constructor(",
  "__proto__",
  "[a]",
  "[b]",
  "[",
  "]",
  '"x"',
  '"',
  "\\",
  '\\"',
  ",",
  ", ,",
  ")",
  "(",
  "=",
  "<>",
  ">=",
  "&HF",
  "&H",
  "-1",
  "3.5",
  " ",
  "\n",
  "vbTextCompare",
];

/** Text that is mostly expression-shaped, so the parser's deeper paths are reached. */
const expressionish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join(""));

const LITERALS = [
  '"x"',
  '""',
  '"True"',
  '"false"',
  '"2021-06-30+08:00"',
  '"8/25/2021 5:41:18 PM"',
  '"d"',
  '"yyyy"',
  '"m"',
  '"yyyy-MM-dd"',
  '"[a-z]*"',
  '"(?<g>@.*)"',
  '"g"',
  '","',
  '" "',
  "0",
  "1",
  "-3",
  "257",
  "2.5",
  "&HF7",
  "vbTextCompare",
  "Now()",
  "Guid()",
];

const NAMES = [...FUNCTIONS.keys()].filter((name) => name !== "SelectUniqueValue");

/** Random, mostly well-formed expressions: each call gets an allowed argument count. */
const wellFormed: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("[a]", "[b]", "[list]", "[IsSoftDeleted]", ...LITERALS),
    fc.tuple(fc.constantFrom(...NAMES), fc.array(tie("node"), { maxLength: 7 })).map(([name, args]) => {
      const spec = FUNCTIONS.get(name);
      const min = spec?.min ?? 0;
      const max = Math.min(spec?.max ?? 0, min + 3);
      const padded = [...args, ...Array.from({ length: min }, () => "[a]")];
      let count = Math.max(min, Math.min(max, args.length));
      if (name === "Switch" && count % 2 === 1) count += 1;
      return `${name}(${padded.slice(0, count).join(", ")})`;
    }),
    fc.tuple(tie("node"), fc.constantFrom("=", "<>", "<", ">="), tie("node")).map(([l, op, r]) => `${l} ${op} ${r}`),
  ),
})).node;

const attributeValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 4 }),
  fc.constantFrom("2021-06-30+08:00", "True", "false", "", "129699324000000000", "+91 9998887777"),
  fc.date(),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.oneof(fc.integer(), fc.constant(null), fc.string()), { maxLength: 3 }),
);

const attributes = fc.record(
  { a: attributeValue, b: attributeValue, list: attributeValue, IsSoftDeleted: attributeValue },
  { requiredKeys: [] },
);

describe("closed-world properties", () => {
  it(seeded("compileExpression on any text either succeeds or throws ExpressionError, quickly"), () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), expressionish), (source) => {
        const start = performance.now();
        try {
          compileExpression(source);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionError);
        }
        expect(performance.now() - start).toBeLessThan(250);
      }),
      fuzzParameters({ numRuns: 3000 }),
    );
  });

  it(seeded("evaluate on any attribute values returns a value or throws ExpressionEvaluationError, quickly"), () => {
    let evaluated = 0;
    fc.assert(
      fc.property(
        wellFormed,
        attributes,
        fc.double(),
        fc.date({ noInvalidDate: false }),
        (source, attrs, random, now) => {
          let compiled;
          try {
            compiled = compileExpression(source);
          } catch (error) {
            expect(error).toBeInstanceOf(ExpressionError);
            return;
          }
          const start = performance.now();
          try {
            const value = compiled.evaluate({ attributes: attrs, now: () => now, random: () => random });
            evaluated += 1;
            const ok =
              isIgnoreFlow(value) ||
              value === null ||
              ["string", "number", "boolean"].includes(typeof value) ||
              Array.isArray(value);
            expect(ok).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(ExpressionEvaluationError);
            expect((error as ExpressionEvaluationError).code).not.toBe("EXPR_INTERNAL");
          }
          expect(performance.now() - start).toBeLessThan(250);
        },
      ),
      fuzzParameters({ numRuns: 3000 }),
    );
    expect(evaluated).toBeGreaterThan(300);
  });
});

describe("output size is bounded", () => {
  const ctx = { attributes: { a: "x".repeat(1000) }, now: () => new Date(0), random: () => 0 };

  it("nested Replace templates that multiply lengths fail with a typed error instead of exhausting memory", () => {
    const template = `"${"<u>".repeat(100)}"`;
    let source = "[a]";
    for (let level = 0; level < 20; level += 1) source = `Replace(${source}, "<u>", , , , , ${template})`;
    expect(() => compileExpression(source).evaluate(ctx)).toThrow(expect.objectContaining({ code: "EXPR_BAD_VALUE" }));
  });

  it("nested Join separators that multiply lengths fail with a typed error", () => {
    let source = "[a]";
    for (let level = 0; level < 30; level += 1) source = `Join(${source}, "1", "2", "3", "4")`;
    expect(() => compileExpression(source).evaluate(ctx)).toThrow(expect.objectContaining({ code: "EXPR_BAD_VALUE" }));
  });

  it("regex substitutions that multiply lengths fail with a typed error", () => {
    const source = `Replace([a], , "(?<all>.+)", , "${"${all}".repeat(1500)}", , )`;
    expect(() => compileExpression(source).evaluate(ctx)).toThrow(expect.objectContaining({ code: "EXPR_BAD_VALUE" }));
  });
});
