import { describe, expect, it } from "vitest";
import { ExpressionEvaluationError, IGNORE_FLOW, type EvalResult } from "../../../src/mapping/expr/index.js";
import { evaluate } from "./support.js";

type Row = readonly [name: string, source: string, attributes: Record<string, unknown>, expected: EvalResult];

const SOFT_DELETE = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';

const rows: readonly Row[] = [
  // BitAnd
  ["BitAnd: MS example with hex literals (&HF AND &HF7 = 7)", "BitAnd(&HF, &HF7)", {}, 7],
  ["BitAnd: decimal", "BitAnd(12, 10)", {}, 8],
  ["BitAnd: null", "BitAnd([x], 1)", {}, null],
  ["BitAnd: userAccountControl-style string attribute", "BitAnd([uac], 2)", { uac: "514" }, 2],
  // CBool
  [
    "CBool: MS example ([a] = [b]) true",
    "CBool([attribute1] = [attribute2])",
    { attribute1: "x", attribute2: "x" },
    true,
  ],
  [
    "CBool: MS example ([a] = [b]) false",
    "CBool([attribute1] = [attribute2])",
    { attribute1: "x", attribute2: "y" },
    false,
  ],
  ["CBool: non-zero number", "CBool(5)", {}, true],
  ["CBool: zero", "CBool(0)", {}, false],
  ["CBool: string False in any case", 'CBool("fAlSe")', {}, false],
  ["CBool: null", "CBool([x])", {}, null],
  // Coalesce
  [
    "Coalesce: MS example (mail is NULL → UPN)",
    "Coalesce([mail],[userPrincipalName])",
    { userPrincipalName: "John.Doe@contoso.com" },
    "John.Doe@contoso.com",
  ],
  [
    "Coalesce: first value wins",
    "Coalesce([mail],[userPrincipalName])",
    { mail: "m@x", userPrincipalName: "u@x" },
    "m@x",
  ],
  ["Coalesce: default value when all null", 'Coalesce([a],[b],"none")', {}, "none"],
  ["Coalesce: all null without default", "Coalesce([a],[b])", {}, null],
  ["Coalesce: empty string is not null", 'Coalesce([a],"x")', { a: "" }, ""],
  // IgnoreFlowIfNullOrEmpty
  ["IgnoreFlowIfNullOrEmpty: MS example 1, null department", "IgnoreFlowIfNullOrEmpty([department])", {}, IGNORE_FLOW],
  [
    "IgnoreFlowIfNullOrEmpty: present value flows",
    "IgnoreFlowIfNullOrEmpty([department])",
    { department: "Sales" },
    "Sales",
  ],
  ["IgnoreFlowIfNullOrEmpty: empty string", "IgnoreFlowIfNullOrEmpty([department])", { department: "" }, IGNORE_FLOW],
  ["IgnoreFlowIfNullOrEmpty: empty list", "IgnoreFlowIfNullOrEmpty([x])", { x: [] }, IGNORE_FLOW],
  [
    "IgnoreFlowIfNullOrEmpty: MS example 2, Switch yields empty",
    'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))',
    { prefix: "1" },
    IGNORE_FLOW,
  ],
  [
    "IgnoreFlowIfNullOrEmpty: MS example 2, Switch matches",
    'IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))',
    { prefix: "3444" },
    "Prof.",
  ],
  [
    "IgnoreFlowIfNullOrEmpty: nested inside another function still skips",
    "ToLower(IgnoreFlowIfNullOrEmpty([x]))",
    {},
    IGNORE_FLOW,
  ],
  // IIF
  [
    "IIF: MS example true branch",
    'IIF([country]="USA",[country],[department])',
    { country: "USA", department: "Sales" },
    "USA",
  ],
  [
    "IIF: MS example false branch",
    'IIF([country]="USA",[country],[department])',
    { country: "FR", department: "Sales" },
    "Sales",
  ],
  [
    "IIF: MS AND via nesting",
    'IIF([country]="USA",IIF([state]="CA","True","False"),"False")',
    { country: "USA", state: "CA" },
    "True",
  ],
  [
    "IIF: MS OR via nesting",
    'IIF([country]="USA","True",IIF([state]="CA","True","False"))',
    { country: "FR", state: "CA" },
    "True",
  ],
  ["IIF: comparison is case-sensitive", 'IIF([country]="usa","y","n")', { country: "USA" }, "n"],
  [
    "IIF: numeric comparison with DateDiff (MS example 2 shape)",
    'IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True")',
    { StatusHireDate: "2021-07-20" },
    "False",
  ],
  ["IIF: <> operator", 'IIF([a]<>"x","diff","same")', { a: "y" }, "diff"],
  ["IIF: <= on numbers", 'IIF(Count([a]) <= 2,"few","many")', { a: ["1", "2"] }, "few"],
  [
    'IIF: Boolean attribute compared to "True"',
    'IIF([accountEnabled]="True","on","off")',
    { accountEnabled: true },
    "on",
  ],
  ["IIF: only the chosen branch is evaluated", 'IIF("True","ok",IIF([missing]="x","a","b"))', {}, "ok"],
  // IsNull, IsNullOrEmpty, IsPresent, IsString
  ["IsNull: MS example, attribute absent", "IsNull([displayName])", {}, true],
  ["IsNull: empty string is not null", "IsNull([displayName])", { displayName: "" }, false],
  ["IsNullOrEmpty: MS example, empty string", "IsNullOrEmpty([displayName])", { displayName: "" }, true],
  ["IsNullOrEmpty: present", "IsNullOrEmpty([displayName])", { displayName: "x" }, false],
  ["IsPresent: present", "IsPresent([displayName])", { displayName: "x" }, true],
  ["IsPresent: null", "IsPresent([displayName])", {}, false],
  [
    "IsPresent: MS Switch example picks the first present manager",
    "Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])",
    { directManager: "m1" },
    "m1",
  ],
  ["IsString: string", 'IsString("x")', {}, true],
  ["IsString: number", "IsString(1)", {}, false],
  ["IsString: null", "IsString([x])", {}, false],
  // Not
  ["Not: True → False", 'Not("True")', {}, false],
  ["Not: False → True", "Not([b])", { b: false }, true],
  ["Not: anything else → True (documented)", "Not([x])", {}, true],
  // Switch
  [
    "Switch: MS example time zone by state",
    'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")',
    { state: "QLD" },
    "Australia/Brisbane",
  ],
  [
    "Switch: default when no key matches",
    'Switch([state], "Australia/Sydney", "NSW", "x")',
    { state: "WA" },
    "Australia/Sydney",
  ],
  ["Switch: case-sensitive keys", 'Switch([state], "d", "qld", "x")', { state: "QLD" }, "d"],
  [
    "Switch: MS ToLower normalisation example",
    'Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")',
    { statusFlag: "TRUE" },
    "1",
  ],
  ["Switch: MS empty key catches empty source", 'Switch([statusFlag], "Default Value", "true", "1", "", "0")', {}, "0"],
  ["Switch: MS workaround for IIF on empty", 'Switch([country],[country],"","Other")', { country: "" }, "Other"],
  ["Switch: IsSoftDeleted false → active True", SOFT_DELETE, { IsSoftDeleted: false }, "True"],
  ["Switch: IsSoftDeleted true → active False", SOFT_DELETE, { IsSoftDeleted: true }, "False"],
  ["Switch: IsSoftDeleted as a string", SOFT_DELETE, { isSoftDeleted: "True" }, "False"],
  ["Switch: empty default gives null", SOFT_DELETE, { IsSoftDeleted: "maybe" }, null],
];

describe("logic functions", () => {
  it.each(rows)("%s", (_name, source, attributes, expected) => {
    expect(evaluate(source, attributes)).toEqual(expected);
  });
});

describe("IIF on a null condition (Entra's documented limitation)", () => {
  it.each([
    ['IIF([country]="USA","a","b")', {}],
    ['IIF([country]="","Other",[country])', {}],
    ['IIF([flag],"a","b")', { flag: "" }],
  ])("%s throws EXPR_NULL_CONDITION", (source, attributes) => {
    expect(() => evaluate(source, attributes)).toThrow(expect.objectContaining({ code: "EXPR_NULL_CONDITION" }));
  });

  it("a non-Boolean condition is a typed error", () => {
    expect(() => evaluate('IIF("maybe","a","b")')).toThrow(ExpressionEvaluationError);
  });
});

describe("SelectUniqueValue", () => {
  const source = `SelectUniqueValue(
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 1), [PreferredLastName]))), "contoso.com"),
        Join("@", NormalizeDiacritics(StripSpaces(Join(".",  Mid([PreferredFirstName], 1, 2), [PreferredLastName]))), "contoso.com")
    )`;
  const person = { PreferredFirstName: "John", PreferredLastName: "Smith" };

  it.each([
    ["MS example: first rule when unique", [], "John.Smith@contoso.com"],
    ["MS example: second rule when the first is taken", ["John.Smith@contoso.com"], "J.Smith@contoso.com"],
    [
      "MS example: third rule when two are taken",
      ["John.Smith@contoso.com", "J.Smith@contoso.com"],
      "Jo.Smith@contoso.com",
    ],
  ] as const)("%s", (_name, taken, expected) => {
    expect(evaluate(source, person, { isUniqueValue: (v) => !(taken as readonly string[]).includes(v) })).toBe(
      expected,
    );
  });

  it("all taken → EXPR_NOT_UNIQUE (Entra escrows the object)", () => {
    expect(() => evaluate(source, person, { isUniqueValue: () => false })).toThrow(
      expect.objectContaining({ code: "EXPR_NOT_UNIQUE" }),
    );
  });

  it("without a uniqueness check the first non-empty rule wins", () => {
    expect(evaluate("SelectUniqueValue([a], [b])", { b: "x" })).toBe("x");
  });
});
