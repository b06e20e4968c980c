import { z } from "zod";

/**
 * A zod schema for a large id-keyed record (100,000 links, fingerprints or checkpoint users):
 * checks every value in place and hands the object on as it is. `z.record` would build a copy
 * of everything the state holds while the parsed original is still alive, only for the
 * collector to throw one of them away.
 */
export function largeRecord<T>(
  isValue: (value: unknown) => value is T,
  expected: string,
): z.ZodType<Record<string, T>> {
  return z.custom<Record<string, T>>(
    (value) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
      for (const key in value) if (!isValue((value as Record<string, unknown>)[key])) return false;
      return true;
    },
    { message: `expected an object whose values are ${expected}` },
  );
}

export const isString = (value: unknown): value is string => typeof value === "string";

/**
 * The same for a large array (the 100,000 assignments a checkpoint keeps): `z.array(z.tuple(…))`
 * copied each item through three schemas, a tenth of a no-op cycle's checkpoint decoding.
 */
export function largeArray<T>(isItem: (value: unknown) => value is T, expected: string): z.ZodType<T[]> {
  return z.custom<T[]>((value) => Array.isArray(value) && value.every((item) => isItem(item)), {
    message: `expected an array of ${expected}`,
  });
}
