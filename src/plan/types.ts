import type { FlatAttributes, ResourceKind, ScimValue, WarningCode } from "../model/index.js";

/** Bumped whenever the serialised shape changes; a reader of another version refuses the plan. */
export const PLAN_VERSION = 3;

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
    | {
        readonly action: "create";
        readonly kind: ResourceKind;
        readonly object: ObjectRef;
        readonly attributes: FlatAttributes;
      }
    | {
        readonly action: "update";
        readonly kind: ResourceKind;
        readonly object: ObjectRef;
        readonly changes: readonly AttributeChange[];
      }
    | {
        readonly action: "reactivate";
        readonly kind: "user";
        readonly object: ObjectRef;
        readonly changes: readonly AttributeChange[];
      }
    | {
        readonly action: "deactivate";
        readonly kind: "user";
        readonly object: ObjectRef;
        readonly reason: DeactivationReason;
        readonly changes: readonly AttributeChange[];
      }
    | {
        readonly action: "addMembers" | "removeMembers";
        readonly kind: "group";
        readonly object: ObjectRef;
        readonly members: readonly ObjectRef[];
      }
  );

export type PlanAction = PlanOperation["action"];

export type { WarningCode };

export interface PlanWarning {
  readonly code: WarningCode;
  readonly kind: ResourceKind;
  readonly label: string;
  readonly message: string;
  /** The Entra object it is about, when there is one (a Klaxoon-only account has none). */
  readonly sourceId?: string;
  /** Found by an earlier cycle and still true: the object was not planned again since (see cycle/work/carry-warnings.ts). */
  readonly since?: string;
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

/** An operation a `protect:` rule kept out of the plan, with the rule (`protect.userNames[0] "admin@*"`). */
export interface ProtectedOperation {
  readonly operation: PlanOperation;
  readonly rule: string;
}

/**
 * What a plan was computed from, so that `apply plan.json` can refuse a stale one: the ends and
 * rules it was made for, the deletion guard's settings, and per object it touches a digest of
 * Entra's side (what the mappings gave) and of Klaxoon's side (what the account held).
 */
export interface PlanBasis {
  readonly graphTenantId: string;
  readonly app: string;
  readonly targetUrl: string;
  /** The digest of the mappings, scoping and protect rules. */
  readonly rules: string;
  readonly guard: { readonly maxDeactivations: number; readonly maxDeactivationPercent: number | null };
  /** `user:<source id>` (or `user:target:<id>`) → digests; `absent` when there is none on that side. */
  readonly objects: Readonly<Record<string, ObjectBasis>>;
}

export interface ObjectBasis {
  readonly entra: string;
  readonly klaxoon: string;
}

export interface Plan {
  readonly version: typeof PLAN_VERSION;
  readonly createdAt: string;
  readonly operations: readonly PlanOperation[];
  /** Deactivations the guard held back (not in `operations`). */
  readonly held: readonly PlanOperation[];
  /** Operations on protected accounts (not in `operations`, never applied). */
  readonly protected: readonly ProtectedOperation[];
  readonly adoptions: readonly Link[];
  /** The planner's; a plan an applied cycle returns adds what applying found (TARGET_DROPS_ATTRIBUTE). */
  readonly warnings: readonly PlanWarning[];
  readonly guard: GuardVerdict;
  readonly counts: Readonly<Record<string, number>>;
  /** Set on plans a full or delta cycle made (not on demand): what `apply` checks before it writes. */
  readonly basis?: PlanBasis;
  /** `sha256:<hex>` over the plan's JSON without this field: an edited plan file is refused. */
  readonly integrity?: string;
}
