import type { PlanOperation } from "./types.js";

/** The object an operation is about, as one key (the same for every operation on it): `user:<source id>`. */
export function objectKeyOf(op: PlanOperation): string {
  return `${op.kind}:${op.object.sourceId ?? `target:${op.object.targetId ?? op.object.label}`}`;
}
