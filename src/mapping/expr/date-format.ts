/**
 * .NET custom date and time format strings (invariant culture), the dialect FormatDateTime's
 * inputFormat and outputFormat use. Times are UTC throughout: Entra's date functions return UTC.
 */
export type FormatToken = { readonly letter: string; readonly count: number } | { readonly literal: string };

const SPECIFIERS = new Set(["d", "f", "F", "g", "h", "H", "K", "m", "M", "s", "t", "y", "z"]);
export const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
export const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** Splits a format into specifiers (runs of one letter) and literals ('quoted', "quoted", \x, other characters). */
export function tokenizeFormat(format: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  let i = 0;
  while (i < format.length) {
    const ch = format.charAt(i);
    if (ch === "'" || ch === '"') {
      const close = format.indexOf(ch, i + 1);
      const end = close < 0 ? format.length : close;
      tokens.push({ literal: format.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === "\\") {
      tokens.push({ literal: format.charAt(i + 1) });
      i += 2;
    } else if (ch === "%" && SPECIFIERS.has(format.charAt(i + 1))) {
      tokens.push({ letter: format.charAt(i + 1), count: 1 });
      i += 2;
    } else if (SPECIFIERS.has(ch)) {
      let end = i + 1;
      while (format.charAt(end) === ch) end += 1;
      tokens.push({ letter: ch, count: end - i });
      i = end;
    } else {
      tokens.push({ literal: ch });
      i += 1;
    }
  }
  return tokens;
}

/** Formats a UTC instant (epoch milliseconds) with a .NET custom format. */
export function formatDate(epochMs: number, format: string): string {
  const date = new Date(epochMs);
  return tokenizeFormat(format)
    .map((token) => ("literal" in token ? token.literal : formatField(date, token.letter, token.count)))
    .join("");
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function formatField(date: Date, letter: string, count: number): string {
  const hour = date.getUTCHours();
  switch (letter) {
    case "d":
      if (count >= 4) return DAYS[date.getUTCDay()] ?? "";
      if (count === 3) return (DAYS[date.getUTCDay()] ?? "").slice(0, 3);
      return pad(date.getUTCDate(), count);
    case "M":
      if (count >= 4) return MONTHS[date.getUTCMonth()] ?? "";
      if (count === 3) return (MONTHS[date.getUTCMonth()] ?? "").slice(0, 3);
      return pad(date.getUTCMonth() + 1, count);
    case "y": {
      const year = date.getUTCFullYear();
      return count <= 2 ? pad(year % 100, count) : pad(year, count);
    }
    case "h":
      return pad(hour % 12 === 0 ? 12 : hour % 12, Math.min(count, 2));
    case "H":
      return pad(hour, Math.min(count, 2));
    case "m":
      return pad(date.getUTCMinutes(), Math.min(count, 2));
    case "s":
      return pad(date.getUTCSeconds(), Math.min(count, 2));
    case "f":
    case "F": {
      const digits = pad(date.getUTCMilliseconds(), 3).padEnd(7, "0").slice(0, Math.min(count, 7));
      return letter === "F" ? digits.replace(/0+$/, "") : digits;
    }
    case "t":
      return (hour < 12 ? "AM" : "PM").slice(0, count >= 2 ? 2 : 1);
    case "z":
      return count === 1 ? "+0" : count === 2 ? "+00" : "+00:00";
    case "K":
      return "Z";
    default: // "g": the era
      return "A.D.";
  }
}
