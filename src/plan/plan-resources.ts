import type { FlatAttributes, MappedResource, ResourceKind, ScimValue } from "../model/index.js";
import { diffAttributes, normaliseForCompare } from "./compare.js";
import { withoutDropped, type DroppedAttributes } from "./dropped-attributes.js";
import type { TargetIndex, TargetResource } from "./target-index.js";
import type { AttributeChange, DeactivationReason, Link, ObjectRef, PlanOperation, PlanWarning } from "./types.js";

export interface DesiredObject {
  readonly resource: MappedResource;
  /** Why the object should be inactive when its mapped `active` is false. */
  readonly inactiveReason?: "disabled" | "softDeleted";
}

export interface ResourcePlanInput<T extends TargetResource> {
  readonly kind: ResourceKind;
  readonly desired: readonly DesiredObject[];
  /** Objects whose mapping failed: their accounts are left exactly as they are. */
  readonly failedSourceIds: ReadonlySet<string>;
  /** Objects read from Graph that scoping filters excluded. */
  readonly outOfScope: ReadonlySet<string>;
  readonly skipOutOfScopeDeletions: boolean;
  readonly targets: TargetIndex<T>;
  readonly matchingPaths: readonly string[];
  /** Accounts the agent created or adopted: source id → target id (the state's hint). */
  readonly links: ReadonlyMap<string, string>;
  /** Paths Klaxoon requires on create; a null there means "do not create", with a warning. */
  readonly requiredPaths: readonly string[];
  /** Linked objects left out of this plan (unchanged on a delta cycle): their accounts are taken. */
  readonly reserved: ReadonlyMap<string, ObjectRef>;
  /** Objects whose desired state Klaxoon was last seen to match: a change now is drift. */
  readonly unchanged: ReadonlySet<string>;
  /** Paths the target accepted and did not store, while the desired value is the one sent then. */
  readonly dropped: DroppedAttributes;
  readonly labelOf: (target: T) => string;
}

export interface ResourcePlan {
  readonly operations: PlanOperation[];
  /** Source id → where that object lives (or will live) in Klaxoon. */
  readonly resolved: Map<string, ObjectRef>;
  readonly adoptions: Link[];
  readonly warnings: PlanWarning[];
}

/** One diff for every resource kind: match, then create / update / (de|re)activate. */
export function planResources<T extends TargetResource>(input: ResourcePlanInput<T>): ResourcePlan {
  const plan: ResourcePlan = { operations: [], resolved: new Map(), adoptions: [], warnings: [] };
  const claimed = new Map<string, string>(); // target id → source id
  const reservedTargets = new Set(
    [...input.reserved.values()].flatMap((ref) => (ref.targetId === null ? [] : [ref.targetId])),
  );
  const duplicates = findDuplicateKeys(input.desired);
  const warn = (code: PlanWarning["code"], label: string, message: string, sourceId?: string): void => {
    plan.warnings.push({ code, kind: input.kind, label, message, ...(sourceId === undefined ? {} : { sourceId }) });
  };

  // Linked objects first, so a link always wins over a match made by another object.
  const ordered = [...input.desired].sort(
    (a, b) => Number(!input.links.has(a.resource.sourceId)) - Number(!input.links.has(b.resource.sourceId)),
  );
  for (const { resource, inactiveReason } of ordered) {
    const linkedId = input.links.get(resource.sourceId);
    const linked = linkedId === undefined ? undefined : input.targets.byId.get(linkedId);
    let target: T | undefined = linked;
    if (!target) {
      const primary = resource.matchKeys[0];
      if (primary && duplicates.has(keyOf(primary))) {
        warn(
          "DUPLICATE_SOURCE_KEY",
          resource.label,
          `${primary.path} "${primary.value}" is produced by more than one Entra object; none of them is provisioned until that is fixed`,
          resource.sourceId,
        );
        continue;
      }
      const match = findMatch(input, resource);
      if (match.status === "ambiguous") {
        warn("DUPLICATE_TARGET_ENTRIES", resource.label, match.message, resource.sourceId);
        continue;
      }
      target = match.target;
    }
    if (target && (claimed.has(target.id) || reservedTargets.has(target.id))) {
      warn(
        "TARGET_ALREADY_CLAIMED",
        resource.label,
        `Klaxoon account ${input.labelOf(target)} is already linked to another Entra object`,
        resource.sourceId,
      );
      continue;
    }
    if (!target) {
      planCreate(input, resource, plan, warn);
      continue;
    }
    claimed.set(target.id, resource.sourceId);
    const ref: ObjectRef = { sourceId: resource.sourceId, targetId: target.id, label: resource.label };
    plan.resolved.set(resource.sourceId, ref);
    if (linked === undefined)
      plan.adoptions.push({ kind: input.kind, sourceId: resource.sourceId, targetId: target.id });
    // Left out before the drift mark: an attribute the target drops is neither sent nor drift.
    const changes = withoutDropped(
      diffAttributes(resource.attributes, target.attributes),
      input.dropped[resource.sourceId],
    );
    if (changes.length > 0)
      plan.operations.push(
        withCause(changeOperation(input.kind, ref, changes, inactiveReason), input.unchanged.has(resource.sourceId)),
      );
  }

  planDepartures(input, plan, claimed);
  const linkedTargets = new Set(input.links.values());
  for (const target of input.targets.byId.values()) {
    if (!claimed.has(target.id) && !linkedTargets.has(target.id) && !reservedTargets.has(target.id)) {
      warn(
        "UNMANAGED_ACCOUNT",
        input.labelOf(target),
        "no Entra object maps to this Klaxoon account and the agent never managed it: left alone",
      );
    }
  }
  return plan;
}

function planCreate<T extends TargetResource>(
  input: ResourcePlanInput<T>,
  resource: MappedResource,
  plan: ResourcePlan,
  warn: (code: PlanWarning["code"], label: string, message: string, sourceId?: string) => void,
): void {
  // The mapped attributes themselves unless there is something to add or leave out: at 34,000
  // creates the copies were most of the plan's 17 MB, held until the cycle ended.
  const attributes: FlatAttributes = isEmpty(resource.createOnly)
    ? resource.attributes
    : { ...resource.createOnly, ...resource.attributes };
  if (attributes["active"] === false) return; // never create an account only to have it disabled
  const missing = input.requiredPaths.filter((path) => normaliseForCompare(path, attributes[path]) === null);
  if (missing.length > 0) {
    warn(
      "REQUIRED_ATTRIBUTE_NULL",
      resource.label,
      `not created: required ${missing.join(", ")} map${missing.length === 1 ? "s" : ""} to null`,
      resource.sourceId,
    );
    return;
  }
  const ref: ObjectRef = { sourceId: resource.sourceId, targetId: null, label: resource.label };
  plan.resolved.set(resource.sourceId, ref);
  plan.operations.push({ action: "create", kind: input.kind, object: ref, attributes: withoutEmpty(attributes) });
}

function planDepartures<T extends TargetResource>(
  input: ResourcePlanInput<T>,
  plan: ResourcePlan,
  claimed: ReadonlyMap<string, string>,
): void {
  if (input.kind !== "user") return; // Klaxoon groups have no active flag; departed groups are left alone
  const desiredIds = new Set(input.desired.map((d) => d.resource.sourceId));
  for (const [sourceId, targetId] of input.links) {
    if (desiredIds.has(sourceId) || input.failedSourceIds.has(sourceId) || claimed.has(targetId)) continue;
    const outOfScope = input.outOfScope.has(sourceId);
    if (outOfScope && input.skipOutOfScopeDeletions) continue;
    const target = input.targets.byId.get(targetId);
    if (!target || target.attributes["active"] === false) continue;
    const reason: DeactivationReason = outOfScope ? "outOfScope" : "unassigned";
    const object: ObjectRef = { sourceId, targetId, label: input.labelOf(target) };
    const deactivation: PlanOperation = {
      action: "deactivate",
      kind: "user",
      object,
      reason,
      changes: [{ path: "active", from: true, to: false }],
    };
    plan.operations.push(withCause(deactivation, input.unchanged.has(sourceId)));
  }
}

function changeOperation(
  kind: ResourceKind,
  object: ObjectRef,
  changes: readonly AttributeChange[],
  inactiveReason: DesiredObject["inactiveReason"],
): PlanOperation {
  const active = changes.find((c) => c.path === "active");
  if (kind === "user" && active?.to === false)
    return { action: "deactivate", kind, object, reason: inactiveReason ?? "disabled", changes };
  if (kind === "user" && active?.to === true) return { action: "reactivate", kind, object, changes };
  return { action: "update", kind, object, changes };
}

export function withCause(op: PlanOperation, drift: boolean): PlanOperation {
  return drift ? { ...op, drift: true } : op;
}

type MatchResult<T> = { status: "found"; target: T | undefined } | { status: "ambiguous"; message: string };

/** Matching attributes in precedence order; the first that finds anything decides (like Entra). */
function findMatch<T extends TargetResource>(input: ResourcePlanInput<T>, resource: MappedResource): MatchResult<T> {
  for (const key of resource.matchKeys) {
    const hits = input.targets.find(key.path, key.value);
    if (hits.length === 1) return { status: "found", target: hits[0] };
    if (hits.length > 1)
      return {
        status: "ambiguous",
        message: `${key.path} "${key.value}" matches ${hits.length} Klaxoon accounts; none is changed`,
      };
  }
  return { status: "found", target: undefined };
}

function keyOf(key: { path: string; value: string }): string {
  return `${key.path}\u0000${String(normaliseForCompare(key.path, key.value))}`;
}

function findDuplicateKeys(desired: readonly DesiredObject[]): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { resource } of desired) {
    const primary = resource.matchKeys[0];
    if (!primary) continue;
    const key = keyOf(primary);
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  return duplicates;
}

/** The attributes without null or empty values: the same object when it has none. */
function withoutEmpty(attributes: FlatAttributes): FlatAttributes {
  const values = Object.values(attributes);
  if (!values.some((value) => value === null || value === "")) return attributes;
  // A loop, not Object.fromEntries(…filter…): this runs once per create, 100,000 times at most.
  const kept: Record<string, ScimValue> = {};
  for (const [path, value] of Object.entries(attributes)) if (value !== null && value !== "") kept[path] = value;
  return kept;
}

function isEmpty(attributes: FlatAttributes): boolean {
  for (const _path in attributes) return false;
  return true;
}
