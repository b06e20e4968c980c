import { digestValue, type DroppedAttributes } from "../../plan/index.js";
import type { AgentState } from "../../state/index.js";
import type { DesiredKind, DesiredState } from "../desired-state.js";
import type { DroppedAttribute } from "./find-dropped-attributes.js";

type DroppedRecord = AgentState["droppedAttributes"];

/**
 * The record to keep after a cycle: what was known dropped, plus this cycle's drops, less every
 * entry whose desired value is no longer the one dropped (changed in Entra, or the object no
 * longer desired). Such a value is then planned like any change: sent once, and checked again.
 * Only dropped paths are kept, so a target that stores what it is sent leaves this empty.
 */
export function recordDroppedAttributes(
  previous: DroppedRecord,
  dropped: readonly DroppedAttribute[],
  desired: DesiredState,
): DroppedRecord {
  return {
    users: nextKind(
      previous.users,
      dropped.filter((d) => d.kind === "user"),
      desired.users,
    ),
    groups: nextKind(
      previous.groups,
      dropped.filter((d) => d.kind === "group"),
      desired.groups,
    ),
  };
}

function nextKind(
  previous: DroppedAttributes,
  dropped: readonly DroppedAttribute[],
  desired: DesiredKind,
): DroppedRecord["users"] {
  if (dropped.length === 0 && Object.keys(previous).length === 0) return {};
  const merged = new Map<string, Map<string, string>>(
    Object.entries(previous).map(([id, paths]) => [id, new Map(Object.entries(paths))]),
  );
  for (const drop of dropped) {
    const paths = merged.get(drop.sourceId) ?? new Map<string, string>();
    paths.set(drop.path, digestValue(drop.path, drop.sent));
    merged.set(drop.sourceId, paths);
  }
  const attributesOf = new Map(desired.desired.map((d) => [d.resource.sourceId, d.resource.attributes]));
  const next: { [sourceId: string]: { [path: string]: string } } = {};
  for (const [sourceId, paths] of merged) {
    const attributes = attributesOf.get(sourceId);
    if (attributes === undefined) continue;
    const kept = [...paths].filter(([path, digest]) => digestValue(path, attributes[path]) === digest);
    if (kept.length > 0) next[sourceId] = Object.fromEntries(kept);
  }
  return next;
}
