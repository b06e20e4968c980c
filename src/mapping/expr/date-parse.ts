import { DAYS, MONTHS, tokenizeFormat } from "./date-format.js";

/** The format Entra's date functions return: `M/d/yyyy h:mm:ss tt`, in UTC. */
export const ENTRA_DATE_FORMAT = "M/d/yyyy h:mm:ss tt";

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: number; // milliseconds
  pm: boolean | null;
  offset: number; // minutes east of UTC
}

/** Builds a UTC instant, or null when a field is out of range (Feb 30, hour 25…). */
function toEpoch(f: Fields): number | null {
  let hour = f.hour;
  if (f.pm !== null) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (f.pm ? 12 : 0);
  }
  if (f.year < 1 || f.year > 9999 || f.month < 1 || f.month > 12 || hour > 23 || f.minute > 59 || f.second > 59)
    return null;
  const date = new Date(0);
  date.setUTCFullYear(f.year, f.month - 1, f.day);
  date.setUTCHours(hour, f.minute, f.second, f.fraction);
  if (date.getUTCDate() !== f.day) return null;
  return date.getTime() - f.offset * 60_000;
}

function blank(): Fields {
  return { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, fraction: 0, pm: null, offset: 0 };
}

/** .NET DateTime.ParseExact with the invariant culture; leading/trailing white space allowed (Entra's default styles). */
export function parseExact(input: string, format: string): number | null {
  const text = input.trim();
  const fields = blank();
  let at = 0;
  const digits = (min: number, max: number): number | null => {
    const match = new RegExp(`^[0-9]{${min},${max}}`).exec(text.slice(at, at + max));
    if (match === null) return null;
    at += match[0].length;
    return Number(match[0]);
  };
  for (const token of tokenizeFormat(format)) {
    if ("literal" in token) {
      if (!text.startsWith(token.literal, at)) return null;
      at += token.literal.length;
      continue;
    }
    const { letter, count } = token;
    let value: number | null = 0;
    if ((letter === "M" || letter === "d") && count >= 3) {
      const names = letter === "M" ? MONTHS : DAYS;
      const index = names.findIndex((name) =>
        text
          .slice(at)
          .toLowerCase()
          .startsWith((count === 3 ? name.slice(0, 3) : name).toLowerCase()),
      );
      if (index < 0) return null;
      at += count === 3 ? 3 : (names[index] ?? "").length;
      if (letter === "M") fields.month = index + 1;
      continue;
    }
    if (letter === "t") {
      const word = text.slice(at, at + count).toUpperCase();
      if (!word.startsWith("A") && !word.startsWith("P")) return null;
      fields.pm = word.startsWith("P");
      at += count >= 2 ? 2 : 1;
      continue;
    }
    if (letter === "z" || letter === "K") {
      const match = /^(Z|[+-][0-9]{1,2}(?::?[0-9]{2})?)/.exec(text.slice(at, at + 6));
      if (match === null) {
        if (letter === "K") continue; // K also matches "no zone"
        return null;
      }
      fields.offset = parseOffset(match[0]);
      at += match[0].length;
      continue;
    }
    if (letter === "f" || letter === "F") {
      const start = at;
      value = digits(letter === "f" ? count : 0, count);
      if (value === null) return null;
      fields.fraction = Math.floor(Number(`0.${text.slice(start, at) || "0"}`) * 1000);
      continue;
    }
    if (letter === "g") {
      const match = /^[AB]\.?[CD]\.?/i.exec(text.slice(at, at + 4));
      if (match !== null) at += match[0].length;
      continue;
    }
    const width =
      letter === "y"
        ? count <= 2
          ? [count === 1 ? 1 : 2, 2]
          : [count, Math.max(count, 4)]
        : count === 1
          ? [1, 2]
          : [2, 2];
    value = digits(width[0] ?? 1, width[1] ?? 2);
    if (value === null) return null;
    if (letter === "y") fields.year = count <= 2 ? value + (value < 50 ? 2000 : 1900) : value;
    else if (letter === "M") fields.month = value;
    else if (letter === "d") fields.day = value;
    else if (letter === "h" || letter === "H") fields.hour = value;
    else if (letter === "m") fields.minute = value;
    else if (letter === "s") fields.second = value;
    if (letter === "h" && fields.pm === null) fields.pm = false;
  }
  if (at !== text.length) return null;
  return toEpoch(fields);
}

function parseOffset(text: string): number {
  if (text === "Z") return 0;
  const sign = text.startsWith("-") ? -1 : 1;
  const body = text.slice(1).replace(":", "");
  const hours = Number(body.length <= 2 ? body : body.slice(0, body.length - 2));
  const minutes = body.length <= 2 ? 0 : Number(body.slice(-2));
  return sign * (hours * 60 + minutes);
}

// Fixed, anchored patterns without nested quantifiers: linear on any input.
const ISO =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,7}))?)?)? ?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?$/;
const US = /^([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})(?: +([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?: *([AaPp][Mm]))?)?$/;
const GENERALIZED =
  /^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})(?:\.([0-9]{1,7}))?(Z|[+-][0-9]{4})?$/;

/**
 * The date strings Entra's functions accept without a format: ISO 8601 (with Workday's
 * `2012-03-16-07:00` date-with-offset form), Entra's own `M/d/yyyy h:mm:ss tt` output, and
 * LDAP generalized time (`20150123105347.1Z`). A missing zone means UTC.
 */
export function parseDate(input: string): number | null {
  const text = input.trim();
  if (text.length > 64) return null;
  const iso = ISO.exec(text) ?? GENERALIZED.exec(text);
  if (iso !== null) {
    const [, y, mo, d, h, mi, s, f, zone] = iso;
    return toEpoch({
      ...blank(),
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h ?? 0),
      minute: Number(mi ?? 0),
      second: Number(s ?? 0),
      fraction: Math.floor(Number(`0.${f ?? "0"}`) * 1000),
      offset: zone === undefined ? 0 : parseOffset(zone),
    });
  }
  const us = US.exec(text);
  if (us === null) return null;
  const [, mo, d, y, h, mi, s, ampm] = us;
  return toEpoch({
    ...blank(),
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    pm: ampm === undefined ? null : ampm.toUpperCase() === "PM",
  });
}
