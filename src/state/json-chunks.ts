/**
 * JSON.stringify's exact text, produced in pieces of about `size` characters. At 100,000 users
 * the state is over ten megabytes of JSON: one string of it, then a buffer of it, held at once
 * at the end of a cycle, were the initial sync's peak of memory. Objects with many keys (links,
 * fingerprints, the checkpoint's users) are walked entry by entry; everything smaller is one
 * JSON.stringify call, so the text is the same byte for byte (state/json-chunks.test.ts checks
 * it against JSON.stringify).
 *
 * Entries are appended to one string, handed out when it is long enough: a generator step for
 * each key and each value took 345 ms for the 13 MB state of 100,000 users, this 240 ms
 * (JSON.stringify of all of it at once: 105 ms).
 */

/** An object with more keys than this is written entry by entry. */
const WALK_ABOVE_KEYS = 256;

export function* jsonPieces(value: unknown, size = 1 << 20): Generator<string> {
  let buffer = "";
  function* walk(item: unknown): Generator<string> {
    if (!isWalkable(item)) {
      // undefined, a function or a symbol at the top: JSON.stringify's own answer, "undefined" has no text.
      buffer += JSON.stringify(item) ?? "";
      return;
    }
    let first = true;
    buffer += "{";
    for (const key of Object.keys(item)) {
      const member = item[key];
      if (member === undefined || typeof member === "function" || typeof member === "symbol") continue;
      buffer += `${first ? "" : ","}${JSON.stringify(key)}:`;
      first = false;
      if (isWalkable(member)) yield* walk(member);
      else buffer += JSON.stringify(member);
      if (buffer.length >= size) {
        yield buffer;
        buffer = "";
      }
    }
    buffer += "}";
  }
  yield* walk(value);
  if (buffer.length > 0) yield buffer;
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
