import type { EvalContext } from "../context.js";
import { formatDate } from "../date-format.js";
import { ENTRA_DATE_FORMAT, parseDate, parseExact } from "../date-parse.js";
import { ExpressionEvaluationError } from "../errors.js";
import { clip, toInteger, toText, type ExprValue } from "../values.js";
import type { FunctionEntries } from "./types.js";

const INTERVALS = new Set(["yyyy", "m", "d", "ww", "h", "n", "s"]);
const UNIT_MS: Readonly<Record<string, number>> = { ww: 604_800_000, d: 86_400_000, h: 3_600_000, n: 60_000, s: 1000 };
/** 100-ns ticks between 1601-01-01 (Active Directory's epoch) and 1970-01-01. */
const AD_EPOCH_OFFSET = 116_444_736_000_000_000n;

function dateArg(value: ExprValue, fn: string): number | null {
  const text = toText(value, fn);
  if (text === null || text === "") return null;
  const epoch = parseDate(text);
  if (epoch === null)
    throw new ExpressionEvaluationError(
      "EXPR_BAD_VALUE",
      fn,
      `"${clip(text)}" is not a date (use FormatDateTime for other formats)`,
    );
  return epoch;
}

function intervalArg(value: ExprValue, fn: string): string {
  const text = toText(value, fn) ?? "";
  if (!INTERVALS.has(text))
    throw new ExpressionEvaluationError(
      "EXPR_BAD_VALUE",
      fn,
      `"${clip(text)}" is not an interval (${[...INTERVALS].join(", ")})`,
    );
  return text;
}

function checkInterval(index: number, value: string): string | null {
  return index === 0 && !INTERVALS.has(value) ? `"${value}" is not an interval (${[...INTERVALS].join(", ")})` : null;
}

/** Adds months as .NET does: the day is clamped to the target month's length (Jan 31 + 1 month = Feb 28/29). */
function addMonths(epoch: number, months: number): number {
  const date = new Date(epoch);
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month + 1, 0);
  date.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay.getUTCDate()));
  return date.getTime();
}

function dateAdd(args: readonly ExprValue[]): ExprValue {
  const interval = intervalArg(args[0] ?? null, "DateAdd");
  const amount = toInteger(args[1] ?? null, "DateAdd");
  const epoch = dateArg(args[2] ?? null, "DateAdd");
  if (amount === null || epoch === null) return null;
  const result =
    interval === "yyyy"
      ? addMonths(epoch, amount * 12)
      : interval === "m"
        ? addMonths(epoch, amount)
        : epoch + amount * (UNIT_MS[interval] ?? 0);
  return formatChecked(result, ENTRA_DATE_FORMAT, "DateAdd");
}

/** Round half to even, as .NET's Convert.ToInt64 does: it reproduces Microsoft's DateDiff table (-492.78 weeks → -493). */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function dateDiff(args: readonly ExprValue[]): ExprValue {
  const interval = intervalArg(args[0] ?? null, "DateDiff");
  const first = dateArg(args[1] ?? null, "DateDiff");
  const second = dateArg(args[2] ?? null, "DateDiff");
  if (first === null || second === null) return null;
  const a = new Date(first);
  const b = new Date(second);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  if (interval === "yyyy") return b.getUTCFullYear() - a.getUTCFullYear();
  if (interval === "m") return months;
  return roundHalfEven((second - first) / (UNIT_MS[interval] ?? 1));
}

function formatChecked(epoch: number, format: string, fn: string): string {
  if (
    !Number.isFinite(epoch) ||
    Math.abs(epoch) > 8.64e15 ||
    new Date(epoch).getUTCFullYear() < 1 ||
    new Date(epoch).getUTCFullYear() > 9999
  ) {
    throw new ExpressionEvaluationError("EXPR_BAD_VALUE", fn, "the date is outside years 1 to 9999");
  }
  return formatDate(epoch, format);
}

function dateFromNum(args: readonly ExprValue[]): ExprValue {
  const text = toText(args[0] ?? null, "DateFromNum");
  if (text === null || text === "") return null;
  if (!/^-?[0-9]{1,20}$/.test(text.trim()))
    throw new ExpressionEvaluationError(
      "EXPR_BAD_VALUE",
      "DateFromNum",
      `"${clip(text)}" is not an Active Directory date number`,
    );
  const ticks = BigInt(text.trim());
  return formatChecked(Number((ticks - AD_EPOCH_OFFSET) / 10_000n), ENTRA_DATE_FORMAT, "DateFromNum");
}

function numFromDate(args: readonly ExprValue[]): ExprValue {
  const epoch = dateArg(args[0] ?? null, "NumFromDate");
  return epoch === null ? null : (BigInt(epoch) * 10_000n + AD_EPOCH_OFFSET).toString();
}

function formatDateTime(args: readonly ExprValue[]): ExprValue {
  const source = toText(args[0] ?? null, "FormatDateTime");
  const input = toText(args[2] ?? null, "FormatDateTime");
  const output = toText(args[3] ?? null, "FormatDateTime") ?? ENTRA_DATE_FORMAT;
  if (source === null || source === "") return null;
  const epoch = input === null || input === "" ? parseDate(source) : parseExact(source, input);
  if (epoch === null)
    throw new ExpressionEvaluationError(
      "EXPR_BAD_VALUE",
      "FormatDateTime",
      `"${clip(source)}" does not match the input format "${input ?? ""}"`,
    );
  return formatChecked(epoch, output, "FormatDateTime");
}

export const DATE_FUNCTIONS: FunctionEntries = [
  [
    "CDate",
    {
      min: 1,
      max: 1,
      run: (args) => {
        const e = dateArg(args[0] ?? null, "CDate");
        return e === null ? null : formatChecked(e, ENTRA_DATE_FORMAT, "CDate");
      },
    },
  ],
  ["DateAdd", { min: 3, max: 3, literal: checkInterval, run: dateAdd }],
  ["DateDiff", { min: 3, max: 3, literal: checkInterval, run: dateDiff }],
  ["DateFromNum", { min: 1, max: 1, run: dateFromNum }],
  // dateTimeStyles (argument 2) is accepted and ignored: we always parse as UTC-unless-stated, Entra's default.
  ["FormatDateTime", { min: 4, max: 4, optional: [1], run: formatDateTime }],
  [
    "Now",
    { min: 0, max: 0, run: (_args, ctx: EvalContext) => formatChecked(ctx.now().getTime(), ENTRA_DATE_FORMAT, "Now") },
  ],
  ["NumFromDate", { min: 1, max: 1, run: numFromDate }],
];
