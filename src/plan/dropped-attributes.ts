import { type ScimValue, shortDigest } from "../model/index.js";
import { normaliseForCompare } from "./compare.js";
import type { AttributeChange } from "./types.js";

/**
 * Attributes the target accepted with a success and did not store (some SCIM servers do):
 * source id → path → digest of the desired value that was sent then. Re-sending the same value
 * would change nothing, and every cycle that compares with the target would send it again; so
 * while the desired value keeps that digest, the path is left out of the plan. A new value is
 * sent once, as any change is.
 */
export type DroppedAttributes = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Under SCIM comparison rules: values the diff counts as equal have one digest. */
export function digestValue(path: string, value: ScimValue | undefined): string {
  return shortDigest(JSON.stringify(normaliseForCompare(path, value)));
}

/** The changes less those that would send again a value the target is known to drop. */
export function withoutDropped(
  changes: AttributeChange[],
  dropped: Readonly<Record<string, string>> | undefined,
): AttributeChange[] {
  if (dropped === undefined) return changes;
  return changes.filter((change) => {
    const digest = dropped[change.path];
    return digest === undefined || digest !== digestValue(change.path, change.to);
  });
}
