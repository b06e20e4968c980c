import type { FlatAttributes, ResourceKind, ScimValue } from "../model/index.js";

/** Bumped whenever the serialised shape changes; a reader of another version refuses the plan. */
export const PLAN_VERSION = 2;

export interface AttributeChange {
  readonly path: string;
  readonly from: ScimValue;
  /** null: the attribute is cleared (PATCH remove). */
  readonly to: ScimValue;
}

export type DeactivationReason = "unassigned" | "outOfScope" | "disabled" | "softDeleted";

/** A reference to an object on both sides; `targetId` is null until the object is created. */
export interface ObjectRef {
  readonly sourceId: string | null;
  readonly targetId: string | null;
  readonly label: string;
}

/**
 * `drift: true` marks a repair of a change made in Klaxoon by hand: Entra's side of the object
 * is what Klaxoon was last seen to match, yet Klaxoon differs now.
 */
interface Cause {
  readonly drift?: true;
}

export type PlanOperation = Cause &
  (
    | { readonly action: "create"; readonly kind: ResourceKind; readonly object: ObjectRef; readonly attributes: FlatAttributes }
    | { readonly action: "update"; readonly kind: ResourceKind; readonly object: ObjectRef; readonly changes: readonly AttributeChange[] }
    | { readonly action: "reactivate"; readonly kind: "user"; readonly object: ObjectRef; readonly changes: readonly AttributeChange[] }
    | {
        readonly action: "deactivate";
        readonly kind: "user";
        readonly object: ObjectRef;
        readonly reason: DeactivationReason;
        readonly changes: readonly AttributeChange[];
      }
    | { readonly action: "addMembers" | "removeMembers"; readonly kind: "group"; readonly object: ObjectRef; readonly members: readonly ObjectRef[] }
  );

export type PlanAction = PlanOperation["action"];

export type WarningCode =
  | "DUPLICATE_SOURCE_KEY" // two Entra objects map to one matching value
  | "DUPLICATE_TARGET_ENTRIES" // one matching value finds several Klaxoon accounts
  | "TARGET_ALREADY_CLAIMED" // the Klaxoon account is already linked to another Entra object
  | "MAPPING_FAILED" // an expression failed for this object; it is left as it is
  | "REQUIRED_ATTRIBUTE_NULL" // a required Klaxoon attribute maps to null; not created
  | "UNMANAGED_ACCOUNT" // a Klaxoon account that no Entra object maps to: left alone
  | "TARGET_DROPS_ATTRIBUTE"; // found on applying: Klaxoon accepted a value and did not store it; not re-sent until it changes

export interface PlanWarning {
  readonly code: WarningCode;
  readonly kind: ResourceKind;
  readonly label: string;
  readonly message: string;
}

export interface GuardVerdict {
  /** True when deactivations are held back this cycle. */
  readonly held: boolean;
  readonly deactivations: number;
  readonly reason: string | null;
}

/** An Entra object newly linked to an existing Klaxoon account (matched, not created). */
export interface Link {
  readonly kind: ResourceKind;
  readonly sourceId: string;
  readonly targetId: string;
}

export interface Plan {
  readonly version: typeof PLAN_VERSION;
  readonly createdAt: string;
  readonly operations: readonly PlanOperation[];
  /** Deactivations the guard held back (not in `operations`). */
  readonly held: readonly PlanOperation[];
  readonly adoptions: readonly Link[];
  /** The planner's; a plan an applied cycle returns adds what applying found (TARGET_DROPS_ATTRIBUTE). */
  readonly warnings: readonly PlanWarning[];
  readonly guard: GuardVerdict;
  readonly counts: Readonly<Record<string, number>>;
}
