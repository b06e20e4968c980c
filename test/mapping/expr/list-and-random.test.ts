import { describe, expect, it } from "vitest";
import { ExpressionEvaluationError, type EvalResult } from "../../../src/mapping/expr/index.js";
import { evaluate, sequence } from "./support.js";

type Row = readonly [name: string, source: string, attributes: Record<string, unknown>, expected: EvalResult];

const rows: readonly Row[] = [
  ["Count: multi-valued", "Count([proxyAddresses])", { proxyAddresses: ["a", "b", "c"] }, 3],
  ["Count: single value counts 1", "Count([mail])", { mail: "m" }, 1],
  ["Count: absent attribute counts 0", "Count([proxyAddresses])", {}, 0],
  [
    "Item: MS example, first item (1-based)",
    "Item([proxyAddresses], 1)",
    { proxyAddresses: ["SMTP:a@x", "smtp:b@x"] },
    "SMTP:a@x",
  ],
  ["Item: past the end gives null", "Item([proxyAddresses], 3)", { proxyAddresses: ["a"] }, null],
  ["Item: null attribute", "Item([proxyAddresses], 1)", {}, null],
  [
    "RemoveDuplicates: MS example proxyAddresses",
    "RemoveDuplicates([proxyAddresses])",
    { proxyAddresses: ["a", "b", "a", "B"] },
    ["a", "b", "B"],
  ],
  ["RemoveDuplicates: null", "RemoveDuplicates([proxyAddresses])", {}, null],
  [
    "Split: MS example (pieces keep their spaces, as .NET Split)",
    'Split([extensionAttribute5], ",")',
    { extensionAttribute5: "PermissionSetOne, PermissionSetTwo" },
    ["PermissionSetOne", " PermissionSetTwo"],
  ],
  ["Split: no delimiter found", 'Split("abc", ",")', {}, ["abc"]],
  ["Split: null", 'Split([x], ",")', {}, null],
  ["Split: then Item", 'Item(Split("a,b,c", ","), 2)', {}, "b"],
  ["Split: then Join", 'Join("|", Split("a,b", ","))', {}, "a|b"],
  [
    "SingleAppRoleAssignment: one role",
    "SingleAppRoleAssignment([AppRoleAssignments])",
    { AppRoleAssignments: ["Admin"] },
    "Admin",
  ],
  [
    "SingleAppRoleAssignment: several roles → smallest, order-independent",
    "SingleAppRoleAssignment([appRoleAssignments])",
    { AppRoleAssignments: ["User", "Admin"] },
    "Admin",
  ],
  ["SingleAppRoleAssignment: none", "SingleAppRoleAssignment([AppRoleAssignments])", { AppRoleAssignments: [] }, null],
  ["virtual objectId attribute", "ConvertToUTF8Hex([objectId])", { objectId: "0a" }, "3061"],
];

describe("list functions", () => {
  it.each(rows)("%s", (_name, source, attributes, expected) => {
    expect(evaluate(source, attributes)).toEqual(expected);
  });

  it("Item with index 0 is refused (MS: index 0 shouldn't be used)", () => {
    expect(() => evaluate("Item([p], 0)", { p: ["a"] })).toThrow(ExpressionEvaluationError);
  });

  it("a multi-valued attribute where one value is needed is a typed error", () => {
    expect(() => evaluate("ToLower([proxyAddresses])", { proxyAddresses: ["A", "B"] })).toThrow(
      expect.objectContaining({ code: "EXPR_MULTI_VALUED" }),
    );
  });
});

describe("Guid and RandomString use the injected randomness", () => {
  it("Guid is a version-4 GUID and deterministic for a given random()", () => {
    const first = evaluate("Guid()", {}, { random: sequence(0.1, 0.7, 0.3) });
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(evaluate("Guid()", {}, { random: sequence(0.1, 0.7, 0.3) })).toBe(first);
  });

  it("RandomString MS example 1: 6 characters, 3 digits and 3 lower case", () => {
    const value = evaluate(
      "RandomString(6,3,0,0,3)",
      {},
      { random: sequence(0.13, 0.92, 0.45, 0.61, 0.07, 0.77, 0.33) },
    );
    expect(typeof value).toBe("string");
    const text = String(value);
    expect(text).toHaveLength(6);
    expect(text.replace(/[^0-9]/g, "").length).toBeGreaterThanOrEqual(3);
    expect(text.replace(/[^a-z]/g, "").length).toBeGreaterThanOrEqual(3);
  });

  it("RandomString MS example 2: minimums met and avoided characters absent", () => {
    for (let seed = 0; seed < 50; seed += 1) {
      const text = String(
        evaluate(
          'RandomString(10,2,2,2,1,"?,")',
          {},
          { random: sequence(seed / 50, 0.99 - seed / 60, 0.5, 0.01 * seed) },
        ),
      );
      expect(text).toHaveLength(10);
      expect(text).not.toMatch(/[?,]/);
      expect(text.replace(/[^0-9]/g, "").length).toBeGreaterThanOrEqual(2);
      expect(text.replace(/[^A-Z]/g, "").length).toBeGreaterThanOrEqual(2);
      expect(text.replace(/[^a-z]/g, "").length).toBeGreaterThanOrEqual(1);
      expect(text.replace(/[0-9A-Za-z]/g, "").length).toBeGreaterThanOrEqual(2);
    }
  });

  it.each([
    ["length above 256", "RandomString(257,0,0,0,0)"],
    ["minimums above the length", "RandomString(3,2,2,0,0)"],
    ["every digit avoided", 'RandomString(3,1,0,0,0,"0123456789")'],
  ])("RandomString refuses %s", (_name, source) => {
    expect(() => evaluate(source)).toThrow(ExpressionEvaluationError);
  });
});
