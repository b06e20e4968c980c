/**
 * A source attribute as a scoping clause sees it. Entra cannot filter multi-valued attributes:
 * a non-empty list is "multi", and every clause on it is false (IS NULL and IS NOT NULL too).
 * Null, undefined, "" and [] are all "null".
 */
export type ScopeValue =
  | { readonly kind: "null" }
  | { readonly kind: "text"; readonly text: string; readonly raw: string | number | boolean }
  | { readonly kind: "multi" }
  | { readonly kind: "other" };

export function readAttribute(attributes: Readonly<Record<string, unknown>>, name: string): ScopeValue {
  return classify(lookup(attributes, name));
}

/** Case-insensitive like Entra; own properties only, so `__proto__` or `constructor` are just absent. */
function lookup(attributes: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(attributes, name)) return attributes[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(attributes)) {
    if (key.toLowerCase() === lower) return attributes[key];
  }
  return undefined;
}

function classify(raw: unknown): ScopeValue {
  if (raw === null || raw === undefined || raw === "") return { kind: "null" };
  if (Array.isArray(raw)) return raw.length === 0 ? { kind: "null" } : { kind: "multi" };
  if (typeof raw === "string") return { kind: "text", text: raw, raw };
  if (typeof raw === "number")
    return Number.isFinite(raw) ? { kind: "text", text: String(raw), raw } : { kind: "other" };
  // .NET's Boolean.ToString, the text Entra compares a Boolean attribute as.
  if (typeof raw === "boolean") return { kind: "text", text: raw ? "True" : "False", raw };
  return { kind: "other" };
}
