import type { FlatAttributes } from "../model/index.js";
import { sameValue } from "./compare.js";
import type { PlanOperation } from "./types.js";

/** The attributes an operation sets (path → value; null for a removal), or null for a member change. */
export function attributesSet(operation: PlanOperation): FlatAttributes | null {
  switch (operation.action) {
    case "create":
      return operation.attributes;
    case "update":
    case "reactivate":
    case "deactivate":
      return Object.fromEntries(operation.changes.map((change) => [change.path, change.to]));
    case "addMembers":
    case "removeMembers":
      return null;
  }
}

/**
 * Where `held` (what the server says it holds) differs from what the operation set: path → the
 * value held (null for none). Empty when it holds everything set.
 */
export function heldOtherwise(set: FlatAttributes, held: FlatAttributes): FlatAttributes {
  let differing: Record<string, FlatAttributes[string]> | null = null;
  for (const [path, sent] of Object.entries(set)) {
    const value = held[path] ?? null;
    if (sameValue(path, sent, value)) continue;
    differing ??= {};
    differing[path] = value;
  }
  return differing ?? NOTHING_DIFFERS;
}

const NOTHING_DIFFERS: FlatAttributes = Object.freeze({});
