import { ExpressionEvaluationError } from "../errors.js";
import { checkLength, toInteger, toText, type ExprValue } from "../values.js";
import { normalizeDiacritics } from "./diacritics.js";
import type { FunctionEntries } from "./types.js";

/** Applies `fn` to the first argument as text; null in, null out (Entra's usual rule). */
function mapText(name: string, fn: (text: string, args: readonly ExprValue[]) => string) {
  return (args: readonly ExprValue[]): ExprValue => {
    const text = toText(args[0] ?? null, name);
    return text === null ? null : fn(text, args);
  };
}

function caseWith(name: string, upper: boolean) {
  return mapText(name, (text, args) => {
    const culture = toText(args[1] ?? null, name);
    if (culture === null || culture === "") return upper ? text.toUpperCase() : text.toLowerCase();
    try {
      return upper ? text.toLocaleUpperCase(culture) : text.toLocaleLowerCase(culture);
    } catch (cause) {
      throw new ExpressionEvaluationError("EXPR_BAD_VALUE", name, `"${culture}" is not a culture name`, { cause });
    }
  });
}

function checkCulture(index: number, value: string): string | null {
  if (index !== 1 || value === "") return null;
  try {
    Intl.getCanonicalLocales(value);
    return null;
  } catch {
    return `"${value}" is not a culture name such as "en-US"`;
  }
}

/** Title case: first letter of each word upper, the rest lower. By default any character that is
 * not a letter, mark, digit or apostrophe separates words (close to .NET ToTitleCase). */
function properCase(text: string, separators: string | null): string {
  const isSeparator =
    separators === null || separators === ""
      ? (ch: string) => !/[\p{L}\p{M}\p{N}']/u.test(ch)
      : (ch: string) => separators.includes(ch);
  let out = "";
  let start = true;
  for (const ch of text) {
    out += start ? ch.toUpperCase() : ch.toLowerCase();
    start = isSeparator(ch);
  }
  return out;
}

function inStr(args: readonly ExprValue[]): ExprValue {
  const haystack = toText(args[0] ?? null, "InStr");
  const needle = toText(args[1] ?? null, "InStr");
  if (haystack === null || needle === null) return null;
  const start = toInteger(args[2] ?? null, "InStr") ?? 1;
  if (start < 1)
    throw new ExpressionEvaluationError("EXPR_BAD_VALUE", "InStr", `start must be 1 or more, not ${start}`);
  const mode = toText(args[3] ?? null, "InStr");
  const textCompare = mode === "vbTextCompare" || mode === "1";
  const fold = (s: string) => (textCompare ? s.toLowerCase() : s);
  if (start > haystack.length + 1) return 0;
  return fold(haystack).indexOf(fold(needle), start - 1) + 1;
}

function word(args: readonly ExprValue[]): ExprValue {
  const text = toText(args[0] ?? null, "Word");
  const index = toInteger(args[1] ?? null, "Word");
  const delimiters = toText(args[2] ?? null, "Word") ?? "";
  if (text === null || index === null || index < 1) return "";
  const words: string[] = [];
  let current = "";
  for (const ch of text) {
    if (delimiters.includes(ch)) {
      if (current !== "") words.push(current);
      current = "";
    } else current += ch;
  }
  if (current !== "") words.push(current);
  return words[index - 1] ?? "";
}

function join(args: readonly ExprValue[]): ExprValue {
  const separator = toText(args[0] ?? null, "Join") ?? "";
  const parts: string[] = [];
  for (const value of args.slice(1)) {
    const items = Array.isArray(value) ? value : [toText(value, "Join")];
    // Null and empty sources are skipped: Microsoft's `Join(", ", "", [surname], [givenName])` gives "Doe, John".
    for (const item of items) if (item !== null && item !== "") parts.push(item);
  }
  checkLength(
    parts.reduce((sum, part) => sum + part.length, 0) + separator.length * Math.max(0, parts.length - 1),
    "Join",
  );
  return parts.join(separator);
}

export const TEXT_FUNCTIONS: FunctionEntries = [
  [
    "Append",
    { min: 2, max: 2, run: mapText("Append", (text, args) => text + (toText(args[1] ?? null, "Append") ?? "")) },
  ],
  [
    "ConvertToBase64",
    { min: 1, max: 1, run: mapText("ConvertToBase64", (text) => Buffer.from(text, "utf16le").toString("base64")) },
  ],
  [
    "ConvertToUTF8Hex",
    {
      min: 1,
      max: 1,
      run: mapText("ConvertToUTF8Hex", (text) => Buffer.from(text, "utf8").toString("hex").toUpperCase()),
    },
  ],
  ["CStr", { min: 1, max: 1, run: mapText("CStr", (text) => text) }],
  ["InStr", { min: 2, max: 4, optional: [2, 3], run: inStr }],
  ["Join", { min: 2, max: Number.POSITIVE_INFINITY, run: join }],
  [
    "Left",
    {
      min: 2,
      max: 2,
      run: (args) => {
        const text = toText(args[0] ?? null, "Left") ?? ""; // documented: null gives ""
        const count = toInteger(args[1] ?? null, "Left");
        return count === null || count < 0 ? text : text.slice(0, count);
      },
    },
  ],
  [
    "Mid",
    {
      min: 3,
      max: 3,
      run: mapText("Mid", (text, args) => {
        const start = Math.max(1, toInteger(args[1] ?? null, "Mid") ?? 1);
        const length = toInteger(args[2] ?? null, "Mid") ?? text.length;
        return length <= 0 ? "" : text.slice(start - 1, start - 1 + length);
      }),
    },
  ],
  ["NormalizeDiacritics", { min: 1, max: 1, run: mapText("NormalizeDiacritics", normalizeDiacritics) }],
  [
    "PCase",
    {
      min: 1,
      max: 2,
      optional: [1],
      run: mapText("PCase", (text, args) => properCase(text, toText(args[1] ?? null, "PCase"))),
    },
  ],
  // Redaction is a logging concern: the value flows unchanged and CompiledExpression.redacted says so.
  ["Redact", { min: 1, max: 1, run: (args) => args[0] ?? null }],
  ["StripSpaces", { min: 1, max: 1, run: mapText("StripSpaces", (text) => text.replaceAll(" ", "")) }],
  ["ToLower", { min: 1, max: 2, optional: [1], literal: checkCulture, run: caseWith("ToLower", false) }],
  ["ToUpper", { min: 1, max: 2, optional: [1], literal: checkCulture, run: caseWith("ToUpper", true) }],
  ["Word", { min: 3, max: 3, run: word }],
];
