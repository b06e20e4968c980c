import { ExpressionEvaluationError } from "../errors.js";
import { compileRegex, matchAll } from "../regex.js";
import { checkLength, toText, type ExprValue } from "../values.js";
import type { FunctionEntries } from "./types.js";

const NAME = "Replace";

function fail(message: string): never {
  throw new ExpressionEvaluationError("EXPR_BAD_VALUE", NAME, message);
}

/** .NET substitutions in a replacement: $$, $&, $n and ${name}; the growing length is checked as pieces are made. */
function expand(template: string, match: RegExpExecArray): string {
  let length = template.length;
  return template.replace(/\$(\$|&|[0-9]{1,2}|\{[A-Za-z_][A-Za-z0-9_]*\})/g, (whole, token: string) => {
    const piece =
      token === "$"
        ? "$"
        : token === "&"
          ? match[0]
          : token.startsWith("{")
            ? (match.groups?.[token.slice(1, -1)] ?? "")
            : (match[Number(token)] ?? whole);
    length += piece.length;
    checkLength(length, NAME);
    return piece;
  });
}

function regexReplace(source: string, pattern: string, group: string | null, replacement: string): string {
  const compiled = compileRegex(pattern);
  if (!compiled.ok) fail(compiled.reason);
  let out = "";
  let last = 0;
  for (const match of matchAll(compiled.regex, source)) {
    // With a group name only that group's text is replaced, the rest of the match stays.
    const span = group === null ? [match.index, match.index + match[0].length] : match.indices?.groups?.[group];
    if (span === undefined) continue;
    const [start, end] = span;
    if (start === undefined || end === undefined) continue;
    out += source.slice(last, start) + (group === null ? expand(replacement, match) : replacement);
    checkLength(out.length, NAME);
    last = end;
  }
  return out + source.slice(last);
}

function extract(text: string, pattern: string, group: string): string | null {
  const compiled = compileRegex(pattern);
  if (!compiled.ok) fail(compiled.reason);
  for (const match of matchAll(compiled.regex, text)) {
    const value = match.groups?.[group];
    if (value !== undefined) return value;
  }
  return null;
}

function occurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) count += 1;
  return count;
}

/**
 * Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template).
 * The mode follows which arguments hold a value, as Microsoft's reference describes.
 */
function replace(args: readonly ExprValue[]): ExprValue {
  const [source, oldValue, pattern, group, replacement, fallback, template] = [0, 1, 2, 3, 4, 5, 6].map((i) =>
    toText(args[i] ?? null, NAME),
  );
  if (pattern !== undefined && pattern !== null) {
    if (group !== undefined && group !== null && (replacement === undefined || replacement === null)) {
      if (source !== undefined && source !== null && source !== "") return source;
      return fallback === undefined || fallback === null ? null : extract(fallback, pattern, group);
    }
    if (source === undefined || source === null) return null;
    if (replacement === undefined || replacement === null)
      fail("a regexPattern needs a replacementValue or a regexGroupName with a replacementAttributeName");
    return regexReplace(source, pattern, group ?? null, replacement);
  }
  if (oldValue === undefined || oldValue === null) fail("give an oldValue or a regexPattern");
  if (oldValue === "") fail("oldValue cannot be empty");
  if (source === undefined || source === null) return null;
  if (template !== undefined && template !== null) {
    checkLength(template.length + occurrences(template, oldValue) * source.length, NAME);
    return template.replaceAll(oldValue, () => source); // a function: no $-patterns in plain replacement
  }
  if (replacement === undefined || replacement === null) fail("an oldValue needs a replacementValue or a template");
  checkLength(source.length + occurrences(source, oldValue) * replacement.length, NAME);
  return source.replaceAll(oldValue, () => replacement);
}

export const REPLACE_FUNCTION: FunctionEntries = [
  [
    "Replace",
    {
      min: 3,
      max: 7,
      optional: [1, 2, 3, 4, 5, 6],
      run: replace,
      literal: (index, value) => {
        if (index !== 2) return null;
        const compiled = compileRegex(value);
        return compiled.ok ? null : compiled.reason;
      },
    },
  ],
];
