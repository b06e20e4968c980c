import { hash } from "node:crypto";

/**
 * The 16-character digest (SHA-256, base64url, 96 bits) that names a value in the state and in
 * plans: fingerprints, escrowed operations, plan bases, dropped values, the rules. One-shot
 * `hash` rather than a Hash object per call: three times faster for the 100,000 fingerprints of
 * a no-op cycle, the same text.
 */
export function shortDigest(text: string): string {
  return hash("sha256", text, "base64url").slice(0, 16);
}
