/** Server-driven paging: `$top` and an opaque `$skiptoken` in `@odata.nextLink`. */
import type { EmuRequest } from "./wire.js";

export interface PageLimits {
  readonly defaultTop: number;
  readonly maxTop: number;
  /** Emulator setting: never serve more than this per page (to test paging with small data). */
  readonly cap: number;
}

export type PageResult<T> =
  | { readonly ok: true; readonly items: T[]; readonly nextLink?: string }
  | { readonly ok: false; readonly message: string };

export function page<T>(req: EmuRequest, all: readonly T[], limits: PageLimits): PageResult<T> {
  const topParam = req.query.get("$top") ?? req.query.get("top");
  let top = limits.defaultTop;
  if (topParam !== null) {
    top = Number(topParam);
    if (!Number.isInteger(top) || top < 1 || top > limits.maxTop) {
      return {
        ok: false,
        message: `Invalid page size specified: '${topParam}'. Must be between 1 and ${limits.maxTop} inclusive.`,
      };
    }
  }
  top = Math.min(top, limits.cap);
  const token = req.query.get("$skiptoken");
  const offset = token === null ? 0 : decodeSkipToken(token);
  if (offset === null) return { ok: false, message: "Invalid skip token." };
  const items = all.slice(offset, offset + top);
  if (offset + top >= all.length) return { ok: true, items };
  return { ok: true, items, nextLink: linkWith(req, { $skiptoken: encodeSkipToken(offset + top) }) };
}

export function encodeSkipToken(offset: number): string {
  return `RFNwdAIA${Buffer.from(JSON.stringify({ o: offset, s: "emu" })).toString("base64url")}`;
}

function decodeSkipToken(token: string): number | null {
  if (!token.startsWith("RFNwdAIA")) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token.slice(8), "base64url").toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && "o" in parsed && typeof parsed.o === "number") return parsed.o;
  } catch {
    return null;
  }
  return null;
}

/** `origin + path` with the request's query, `replace` applied; `$` kept literal as Graph writes it. */
export function linkWith(
  req: EmuRequest,
  replace: Record<string, string>,
  keep: (key: string) => boolean = () => true,
): string {
  const parts: string[] = [];
  for (const [key, value] of req.query) {
    if (Object.hasOwn(replace, key) || !keep(key)) continue;
    parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  for (const [key, value] of Object.entries(replace)) parts.push(`${key}=${encodeURIComponent(value)}`);
  return `${req.origin}${req.path}${parts.length > 0 ? `?${parts.join("&")}` : ""}`;
}
