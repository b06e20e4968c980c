import RE2 from "re2";

/**
 * Regular expressions run on RE2 (linear time, no backtracking), so no pattern in a mapping can
 * stall a cycle. RE2 refuses what it cannot run in linear time (backreferences, lookaround);
 * those patterns are rejected when the expression is compiled, not at evaluation.
 */
export const MAX_PATTERN_LENGTH = 1000;

export type RegexResult = { readonly ok: true; readonly regex: RE2 } | { readonly ok: false; readonly reason: string };

/** Compiled patterns by source, so Replace does not recompile per object; bounded, oldest dropped first. */
const cache = new Map<string, RE2>();
const CACHE_SIZE = 256;

export function compileRegex(pattern: string): RegexResult {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return { ok: false, reason: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  const cached = cache.get(pattern);
  if (cached !== undefined) return { ok: true, regex: cached };
  try {
    // g: iterate matches; d: group offsets (a group-name replacement rewrites only the group); u: code points.
    const regex = new RE2(pattern, "gdu");
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value ?? "");
    cache.set(pattern, regex);
    return { ok: true, regex };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `"${pattern.slice(0, 60)}" is not a supported regular expression (${reason})` };
  }
}

/** Every match, advancing past empty matches by one code point. Resets `lastIndex`, so a cached regex is safe to reuse (evaluation is synchronous). */
export function* matchAll(regex: RE2, text: string): Generator<RegExpExecArray> {
  regex.lastIndex = 0;
  for (;;) {
    const match = regex.exec(text);
    if (match === null) return;
    yield match;
    if (match[0] === "") {
      const code = text.codePointAt(match.index) ?? 0;
      regex.lastIndex = match.index + (code > 0xffff ? 2 : 1);
      if (regex.lastIndex > text.length) return;
    }
  }
}
