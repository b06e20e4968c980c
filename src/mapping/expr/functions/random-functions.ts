import type { EvalContext } from "../context.js";
import { ExpressionEvaluationError } from "../errors.js";
import { toInteger, toText, type ExprValue } from "../values.js";
import type { FunctionEntries } from "./types.js";

const DIGITS = "0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
/** The special characters of Windows' password complexity rule, which Microsoft's RandomString refers to. */
const SPECIAL = "~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/";
const MAX_LENGTH = 256;

/** An index in [0, length), robust to an injected random() that strays outside [0, 1). */
function pick(ctx: EvalContext, length: number): number {
  const index = Math.floor(ctx.random() * length);
  return Number.isFinite(index) ? Math.min(length - 1, Math.max(0, index)) : 0;
}

function guid(_args: readonly ExprValue[], ctx: EvalContext): ExprValue {
  const hex = Array.from({ length: 32 }, () => pick(ctx, 16));
  hex[12] = 4; // version 4
  hex[16] = 8 + ((hex[16] ?? 0) % 4); // RFC 4122 variant
  const text = hex.map((n) => n.toString(16)).join("");
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

function randomString(args: readonly ExprValue[], ctx: EvalContext): ExprValue {
  const fail = (message: string): never => {
    throw new ExpressionEvaluationError("EXPR_BAD_VALUE", "RandomString", message);
  };
  const [length, ...minimums] = [0, 1, 2, 3, 4].map(
    (i) => toInteger(args[i] ?? null, "RandomString") ?? fail(`argument ${i + 1} is null`),
  );
  const avoid = toText(args[5] ?? null, "RandomString") ?? "";
  const pools = [DIGITS, SPECIAL, UPPER, LOWER].map((pool) => [...pool].filter((ch) => !avoid.includes(ch)).join(""));
  if (length === undefined || length < 1 || length > MAX_LENGTH) fail(`the length must be between 1 and ${MAX_LENGTH}`);
  const total = minimums.reduce((sum, n) => sum + n, 0);
  if (minimums.some((n) => n < 0) || total > (length ?? 0))
    fail("the minimums must be 0 or more and add up to no more than the length");
  const chars: string[] = [];
  minimums.forEach((count, i) => {
    const pool = pools[i] ?? "";
    if (count > 0 && pool === "") fail("every character of a required kind is in CharactersToAvoid");
    for (let n = 0; n < count; n += 1) chars.push(pool.charAt(pick(ctx, pool.length)));
  });
  const all = pools.join("");
  if (all === "") fail("CharactersToAvoid excludes every character");
  while (chars.length < (length ?? 0)) chars.push(all.charAt(pick(ctx, all.length)));
  for (let i = chars.length - 1; i > 0; i -= 1) {
    const j = pick(ctx, i + 1);
    [chars[i], chars[j]] = [chars[j] ?? "", chars[i] ?? ""];
  }
  return chars.join("");
}

export const RANDOM_FUNCTIONS: FunctionEntries = [
  ["Guid", { min: 0, max: 0, run: guid }],
  ["RandomString", { min: 5, max: 6, optional: [5], run: randomString }],
];
