/**
 * JSON.stringify's exact text, produced in pieces. At 100,000 users the state is ten megabytes of
 * JSON: one string of it, then a buffer of it, held at once at the end of a cycle, were the
 * initial sync's peak of memory. Objects with many keys (links, fingerprints, the checkpoint's
 * users) are walked entry by entry; everything smaller is one JSON.stringify call, so the text
 * is the same byte for byte (state/state-file.test.ts checks it against JSON.stringify).
 */

/** An object with more keys than this is written entry by entry. */
const WALK_ABOVE_KEYS = 256;

export function* jsonChunks(value: unknown): Generator<string> {
  if (!isWalkable(value)) {
    const text = JSON.stringify(value);
    // undefined, a function or a symbol at the top: JSON.stringify's own answer, "undefined" has no text.
    if (text !== undefined) yield text;
    return;
  }
  let first = true;
  yield "{";
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    yield `${first ? "" : ","}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonChunks(item);
  }
  yield "}";
}

/** A plain object worth walking: large, or holding something large (only the state's own shape nests so). */
function isWalkable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  // toJSON (a Date, say) changes what is written: leave such values to JSON.stringify.
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return holdsLarge(value as Record<string, unknown>, 2);
}

function holdsLarge(value: Record<string, unknown>, depth: number): boolean {
  let keys = 0;
  for (const key in value) {
    keys += 1;
    if (keys > WALK_ABOVE_KEYS) return true;
    const item = value[key];
    if (depth > 0 && typeof item === "object" && item !== null && !Array.isArray(item))
      if (holdsLarge(item as Record<string, unknown>, depth - 1)) return true;
  }
  return false;
}

/** The chunks joined into pieces of about `size` characters, for writes of a useful size. */
export function* batched(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield parts.join("");
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join("");
}
