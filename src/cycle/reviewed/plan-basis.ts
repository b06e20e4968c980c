import { shortDigest, type TargetGroup, type TargetUser } from "../../model/index.js";
import { type ObjectBasis, objectKeyOf, type PlanOperation } from "../../plan/index.js";
import type { DesiredState } from "../desired-state.js";
import type { Fingerprints } from "../work/index.js";

/** How `objectBasis` tells the sides apart when there is nothing: no account, or no desired object. */
const ABSENT = "absent";

export interface BasisSources {
  readonly desired: DesiredState;
  /** What the mappings give per object (the cycle's fingerprints of Entra's side). */
  readonly fingerprints: Fingerprints;
  readonly actual: { readonly users: readonly TargetUser[]; readonly groups: readonly TargetGroup[] };
  readonly links: {
    readonly users: Readonly<Record<string, string>>;
    readonly groups: Readonly<Record<string, string>>;
  };
}

/**
 * Per object the operations touch, a digest of each side as this cycle saw it. Entra's side is
 * the mapped object (its fingerprint), or whether it is out of scope, failed or not read;
 * Klaxoon's side is the whole account as listed (attributes, active, members).
 */
export function objectBasis(operations: readonly PlanOperation[], sources: BasisSources): Record<string, ObjectBasis> {
  const users = new Map(sources.actual.users.map((u) => [u.id, u]));
  const groups = new Map(sources.actual.groups.map((g) => [g.id, g]));
  const basis: Record<string, ObjectBasis> = {};
  for (const op of operations) {
    const key = objectKeyOf(op);
    if (Object.hasOwn(basis, key)) continue;
    const { sourceId } = op.object;
    const kind = op.kind === "user" ? sources.desired.users : sources.desired.groups;
    const linked =
      sourceId === null ? undefined : (op.kind === "user" ? sources.links.users : sources.links.groups)[sourceId];
    const targetId = op.object.targetId ?? linked ?? null;
    const target = targetId === null ? undefined : op.kind === "user" ? users.get(targetId) : groups.get(targetId);
    basis[key] = {
      entra:
        sourceId === null
          ? ABSENT
          : entraSide(sourceId, kind, op.kind === "user" ? sources.fingerprints.users : sources.fingerprints.groups),
      klaxoon: target === undefined ? ABSENT : shortDigest(JSON.stringify(klaxoonSide(target))),
    };
  }
  return basis;
}

function entraSide(sourceId: string, kind: DesiredState["users"], fingerprints: ReadonlyMap<string, string>): string {
  const fingerprint = fingerprints.get(sourceId);
  if (fingerprint !== undefined) return fingerprint;
  if (kind.outOfScope.has(sourceId)) return "outOfScope";
  if (kind.failed.some((f) => f.sourceId === sourceId)) return "mappingFailed";
  return ABSENT;
}

function klaxoonSide(target: TargetUser | TargetGroup): unknown {
  return "userName" in target
    ? [target.userName, target.active, target.attributes]
    : [target.displayName, target.attributes, [...target.memberIds].sort()];
}
