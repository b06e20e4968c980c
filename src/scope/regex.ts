import RE2 from "re2";

/**
 * REGEX MATCH runs on RE2: matching is linear in the input whatever the pattern, so a filter
 * cannot backtrack catastrophically. RE2 rejects what it cannot run that way (backreferences,
 * lookaround); such patterns fail at config load.
 */
export const MAX_PATTERN_LENGTH = 1000;

export function compileRegex(
  pattern: string,
): { readonly ok: true; readonly regex: RE2 } | { readonly ok: false; readonly reason: string } {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return { ok: false, reason: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  try {
    return { ok: true, regex: new RE2(pattern, "u") };
  } catch (error) {
    return {
      ok: false,
      reason: `not a supported regular expression (${error instanceof Error ? error.message : String(error)}); RE2 syntax, no backreferences or lookaround`,
    };
  }
}
