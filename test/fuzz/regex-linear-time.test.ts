import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParameters, seeded } from "../support/fuzz-seed.js";
import { compileExpression, ExpressionError, ExpressionEvaluationError } from "../../src/mapping/expr/index.js";
import { ConfigError } from "../../src/model/index.js";
import { compileScope } from "../../src/scope/compile-scope.js";

/**
 * Regular expressions come from the config (scoping filters, Replace in mappings) and run on
 * Graph values: random patterns, including the classic catastrophic-backtracking shapes, run on
 * long adversarial inputs must finish (RE2 is linear-time; a backtracking engine would hang this
 * file until its timeout) and fail only with the agent's typed errors.
 */
const PATHOLOGICAL = [
  "^(a+)+$",
  "(a|aa)+$",
  "(a|a?)+$",
  "^(\\w+\\s?)*$",
  "(.*a){20}",
  "^(a*)*b$",
  "(x+x+)+y",
  "([a-zA-Z]+)*@",
];
const PIECES = [
  "(",
  ")",
  "a",
  "+",
  "*",
  "?",
  "|",
  ".",
  "\\w",
  "\\s",
  "{2,}",
  "{20}",
  "^",
  "$",
  "[a-z]",
  "(?:",
  "(?i)",
  "b",
  "@",
];
const pattern = fc.oneof(
  fc.constantFrom(...PATHOLOGICAL),
  fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 16 }).map((p) => p.join("")),
);
const adversarial = fc.constantFrom(
  `${"a".repeat(30_000)}!`,
  `${"a ".repeat(15_000)}!`,
  `${"x".repeat(20_000)}`,
  `${"ab".repeat(10_000)}@`,
);

describe("regular expressions run in linear time on adversarial input", () => {
  it(
    seeded("scoping filters: REGEX MATCH / NOT REGEX MATCH compile or fail with FILTER_INVALID, and always answer"),
    () => {
      let compiled = 0;
      fc.assert(
        fc.property(pattern, adversarial, fc.boolean(), (value, text, negate) => {
          let scope;
          try {
            scope = compileScope(
              [[{ attribute: "department", operator: negate ? "NOT REGEX MATCH" : "REGEX MATCH", value }]],
              "scoping.users",
            );
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            expect((error as ConfigError).message).toContain("scoping.users");
            return;
          }
          compiled += 1;
          expect(typeof scope.isInScope({ department: text })).toBe("boolean");
        }),
        fuzzParameters({ numRuns: 150 }),
      );
      expect(compiled).toBeGreaterThan(50);
    },
  );

  it(seeded("mappings: Replace with a regex pattern compiles or fails typed, and always answers"), () => {
    let evaluated = 0;
    fc.assert(
      fc.property(pattern, adversarial, (value, text) => {
        let expression;
        try {
          expression = compileExpression(`Replace([a], , ${JSON.stringify(value)}, , "z", , )`);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionError);
          return;
        }
        try {
          expect(
            typeof expression.evaluate({ attributes: { a: text }, now: () => new Date(0), random: () => 0.5 }),
          ).toBe("string");
          evaluated += 1;
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionEvaluationError);
        }
      }),
      fuzzParameters({ numRuns: 150 }),
    );
    expect(evaluated).toBeGreaterThan(50);
  });
});
