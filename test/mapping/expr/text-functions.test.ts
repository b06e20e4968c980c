import { describe, expect, it } from "vitest";
import type { EvalResult } from "../../../src/mapping/expr/index.js";
import { evaluate } from "./support.js";

type Row = readonly [name: string, source: string, attributes: Record<string, unknown>, expected: EvalResult];

const rows: readonly Row[] = [
  // Append
  [
    "Append: MS example (Salesforce sandbox suffix)",
    'Append([userPrincipalName], ".test")',
    { userPrincipalName: "John.Doe@contoso.com" },
    "John.Doe@contoso.com.test",
  ],
  ["Append: null source gives null", 'Append([userPrincipalName], ".test")', {}, null],
  ["Append: null suffix appends nothing", "Append([a], [b])", { a: "x" }, "x"],
  [
    "Append: MS example alias from first and last name",
    "Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))",
    { givenName: "John", surname: "Doe" },
    "JohDoe",
  ],
  // ConvertToBase64 / ConvertToUTF8Hex
  ["ConvertToBase64: MS example (UTF-16LE)", 'ConvertToBase64("Hello world!")', {}, "SABlAGwAbABvACAAdwBvAHIAbABkACEA"],
  ["ConvertToBase64: null", "ConvertToBase64([x])", {}, null],
  ["ConvertToBase64: empty string", 'ConvertToBase64("")', {}, ""],
  ["ConvertToUTF8Hex: MS example", 'ConvertToUTF8Hex("Hello world!")', {}, "48656C6C6F20776F726C6421"],
  ["ConvertToUTF8Hex: multi-byte characters", 'ConvertToUTF8Hex("é")', {}, "C3A9"],
  ["ConvertToUTF8Hex: null", "ConvertToUTF8Hex([x])", {}, null],
  // CStr
  ["CStr: MS example (a dn)", "CStr([dn])", { dn: "cn=Joe,dc=contoso,dc=com" }, "cn=Joe,dc=contoso,dc=com"],
  ["CStr: number", "CStr(42)", {}, "42"],
  ["CStr: Boolean as .NET prints it", "CStr([accountEnabled])", { accountEnabled: true }, "True"],
  ["CStr: null", "CStr([x])", {}, null],
  ["CStr: one-element list", "CStr([x])", { x: ["only"] }, "only"],
  // InStr
  ["InStr: MS example 1", 'InStr("The quick brown fox","quick")', {}, 5],
  ["InStr: MS example 2 (start and vbBinaryCompare)", 'InStr("repEated","e",3,vbBinaryCompare)', {}, 7],
  ["InStr: vbTextCompare ignores case", 'InStr("repEated","e",3,vbTextCompare)', {}, 4],
  ["InStr: not found", 'InStr("abc","z")', {}, 0],
  ["InStr: null haystack", 'InStr([x],"z")', {}, null],
  ["InStr: start past the end", 'InStr("abc","a",9)', {}, 0],
  // Join
  [
    "Join: MS example (comma between last and first name, empty skipped)",
    'Join(", ", "", [surname], [givenName])',
    { givenName: "John", surname: "Doe" },
    "Doe, John",
  ],
  [
    "Join: multi-valued source joins every value",
    'Join(";", [proxyAddresses], "x")',
    { proxyAddresses: ["a", "b"] },
    "a;b;x",
  ],
  ["Join: null sources skipped", 'Join(".", [a], [b], [c])', { a: "x", c: "z" }, "x.z"],
  ["Join: all null gives empty string", 'Join(".", [a], [b])', {}, ""],
  ["Join: number argument (MS objectId example shape)", 'Join("", 1000, "7")', {}, "10007"],
  // Left
  ["Left: MS example", 'Left("John Doe", 3)', {}, "Joh"],
  ["Left: 0 gives empty", 'Left("John", 0)', {}, ""],
  ["Left: negative gives the input", 'Left("John", -1)', {}, "John"],
  ["Left: null gives empty (documented)", "Left([x], 2)", {}, ""],
  ["Left: more than the length", 'Left("Jo", 5)', {}, "Jo"],
  // Mid
  ["Mid: 1-based start", 'Mid("John", 2, 2)', {}, "oh"],
  ["Mid: length past the end", 'Mid("John", 3, 10)', {}, "hn"],
  ["Mid: null", "Mid([x], 1, 1)", {}, null],
  ["Mid: zero length", 'Mid("John", 1, 0)', {}, ""],
  // NormalizeDiacritics
  ["NormalizeDiacritics: MS example Zoë", "NormalizeDiacritics([givenName])", { givenName: "Zoë" }, "Zoe"],
  ["NormalizeDiacritics: MS table letters", 'NormalizeDiacritics("ÄàçĎéğİłñöřšťüÿž")', {}, "AacDegIlnorstuyz"],
  [
    "NormalizeDiacritics: MS table ligatures æ ß ø",
    'NormalizeDiacritics("Æsa Straße Søren")',
    {},
    "AEsa Strasse Soeren",
  ],
  ["NormalizeDiacritics: combining sequences (ā́)", 'NormalizeDiacritics("ā́")', {}, "a"],
  ["NormalizeDiacritics: null", "NormalizeDiacritics([x])", {}, null],
  // PCase
  [
    "PCase: MS example default separators",
    "PCase([firstName])",
    { firstName: "PABLO GONSALVES (SECOND)" },
    "Pablo Gonsalves (Second)",
  ],
  ["PCase: MS example custom separators", `PCase([lastName]," '-")`, { lastName: "PINTO-DE'SILVA" }, "Pinto-De'Silva"],
  [
    "PCase: MS example nested Join",
    'PCase(Join(" ",[firstName],[lastName]))',
    { firstName: "GREGORY", lastName: "JAMES" },
    "Gregory James",
  ],
  ["PCase: null", "PCase([x])", {}, null],
  // Redact
  [
    "Redact: value flows unchanged (MS example 1)",
    "Redact([userPrincipalName])",
    { userPrincipalName: "a@b.c" },
    "a@b.c",
  ],
  // StripSpaces
  ["StripSpaces: removes spaces only", 'StripSpaces(" a b\tc ")', {}, "ab\tc"],
  ["StripSpaces: null", "StripSpaces([x])", {}, null],
  // ToLower / ToUpper
  [
    "ToLower: MS example (UPN from names)",
    'ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))',
    { PreferredFirstName: "John", PreferredLastName: "Smith" },
    "john.smith@contoso.com",
  ],
  ["ToLower: culture tr-TR dotted I", 'ToLower("I", "tr-TR")', {}, "ı"],
  ["ToLower: null", "ToLower([x])", {}, null],
  ["ToUpper: invariant", 'ToUpper("straße")', {}, "STRASSE"],
  ["ToUpper: empty culture argument", 'ToUpper("abc", )', {}, "ABC"],
  // Word
  ["Word: MS example 1", 'Word("The quick brown fox",3," ")', {}, "brown"],
  ["Word: MS example 2 (several delimiters)", 'Word("This,string!has&many separators",3,",!&#")', {}, "has"],
  ["Word: number below 1", 'Word("a b", 0, " ")', {}, ""],
  ["Word: past the last word", 'Word("a b", 3, " ")', {}, ""],
  ["Word: null string", 'Word([x], 1, " ")', {}, ""],
  // Attributes
  ["attribute names are case-insensitive", "[USERPRINCIPALNAME]", { userPrincipalName: "u@x" }, "u@x"],
  [
    "escaped quotes and backslashes in literals (MS syntax example)",
    '"Company name: \\"Contoso\\" \\\\"',
    {},
    'Company name: "Contoso" \\',
  ],
];

describe("text functions", () => {
  it.each(rows)("%s", (_name, source, attributes, expected) => {
    expect(evaluate(source, attributes)).toEqual(expected);
  });
});
