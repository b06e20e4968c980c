import { describe, expect, it } from "vitest";
import { ExpressionEvaluationError, type EvalResult } from "../../../src/mapping/expr/index.js";
import { evaluate } from "./support.js";

type Row = readonly [name: string, source: string, attributes: Record<string, unknown>, expected: EvalResult];

const rows: readonly Row[] = [
  [
    "MS example 1: oldValue and replacementValue",
    'Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )',
    { BusinessTitle: "Product Developer" },
    "Software Engineer",
  ],
  [
    "MS example 2: oldValue and template",
    'Replace([UserID],"<username>", , , , , "<username>@contoso.com")',
    { UserID: "jsmith" },
    "jsmith@contoso.com",
  ],
  [
    "MS example 3: regex with named-group substitution",
    'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )',
    { telephoneNumber: "+91 9998887777" },
    "9998887777",
  ],
  [
    'MS example 3b: remove characters from a phone number (MS shows no "+", but the pattern does not remove it)',
    'Replace([mobile], , "[()\\\\s-]+", , "", , )',
    { mobile: "+1 (999) 888-7777" },
    "+19998887777",
  ],
  [
    "MS example 4: regex group replaced by a value",
    'Replace([AddressLineData], ,"(?<streetNumber>^\\\\d*)","streetNumber", "888", , )',
    { AddressLineData: "545 Tremont Street" },
    "888 Tremont Street",
  ],
  [
    "MS example 4b: strip the UPN suffix",
    'Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )',
    { userPrincipalName: "jsmith@contoso.com" },
    "jsmith",
  ],
  [
    "MS example 5: source empty → extract from replacementAttributeName",
    'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )',
    { telephoneNumber: "", mobile: "+91 8887779999" },
    "8887779999",
  ],
  [
    "MS example 5: source present is returned",
    'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )',
    { telephoneNumber: "555", mobile: "+91 8887779999" },
    "555",
  ],
  [
    "MS example 6: remove letters and underscores",
    'Replace([mailNickname], , "[a-zA-Z_]*", , "", , )',
    { mailNickname: "john_doe72" },
    "72",
  ],
  [
    "MS example: strip known domain name",
    'Replace([mail], "@contoso.com", , ,"", ,)',
    { mail: "john.doe@contoso.com" },
    "john.doe",
  ],
  [
    "replacement text is literal ($ is not special without a regex)",
    'Replace([a], "x", , , "$&", , )',
    { a: "axb" },
    "a$&b",
  ],
  ["$1 and $$ substitutions with a regex", 'Replace([a], , "(b+)", , "<$1$$>", , )', { a: "abbc" }, "a<bb$>c"],
  ["case-sensitive oldValue", 'Replace([a], "X", , , "y", , )', { a: "xX" }, "xy"],
  ["null source", 'Replace([a], "x", , , "y", , )', {}, null],
  ["fewer than seven arguments", 'Replace([a], "x", , , "y")', { a: "xx" }, "yy"],
];

describe("Replace", () => {
  it.each(rows)("%s", (_name, source, attributes, expected) => {
    expect(evaluate(source, attributes)).toEqual(expected);
  });

  it("neither oldValue nor regexPattern is a typed error", () => {
    expect(() => evaluate("Replace([a], , , , [b], , )", { a: "x", b: "y" })).toThrow(ExpressionEvaluationError);
  });

  it("a pattern from an attribute that RE2 refuses is a typed error", () => {
    expect(() => evaluate('Replace([a], , [p], , "", , )', { a: "aa", p: "(a)\\1" })).toThrow(
      ExpressionEvaluationError,
    );
  });

  it("a catastrophic-backtracking pattern runs in linear time on RE2", () => {
    const start = Date.now();
    expect(evaluate('Replace([a], , "^(a+)+$", , "x", , )', { a: `${"a".repeat(5000)}!` })).toBe(
      `${"a".repeat(5000)}!`,
    );
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
