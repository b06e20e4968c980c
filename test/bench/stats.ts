/** Median, min and max of repeated measurements. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n };
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[n - 1]!, n };
}

export function formatSpread(s: Spread, digits = 2, unit = ""): string {
  const f = (v: number) => `${v.toFixed(digits)}${unit}`;
  if (s.n === 0) return "n/a";
  if (s.n === 1) return `${f(s.median)} (n=1)`;
  return `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}
