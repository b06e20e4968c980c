/**
 * Letters Unicode decomposition does not reduce to a base letter; Microsoft's table maps them
 * to these (note ø → "oe", as the table says).
 */
const SPECIAL: ReadonlyMap<string, string> = new Map([
  ["æ", "ae"],
  ["Æ", "AE"],
  ["ǣ", "ae"],
  ["Ǣ", "AE"],
  ["ø", "oe"],
  ["Ø", "OE"],
  ["œ", "oe"],
  ["Œ", "OE"],
  ["ß", "ss"],
  ["ł", "l"],
  ["Ł", "L"],
  ["ı", "i"],
  ["đ", "d"],
  ["Đ", "D"],
]);

/** NormalizeDiacritics: decompose (NFD), drop combining marks, then map the special letters. */
export function normalizeDiacritics(text: string): string {
  const stripped = text.normalize("NFD").replace(/\p{M}/gu, "");
  let out = "";
  for (const ch of stripped) out += SPECIAL.get(ch) ?? ch;
  return out;
}
