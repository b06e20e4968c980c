import type { MappingTrace } from "../../mapping/index.js";
import type { ScimValue } from "../../model/index.js";
import type { AttributeChange, PlanAction } from "../../plan/index.js";
import type { ScopeTrace } from "../../scope/index.js";
import type { OnDemandRequest } from "../work/index.js";

/** A mapping's trace with the value Klaxoon holds now for its target (null: none, or no account). */
export type ExplainedMapping = MappingTrace & { readonly klaxoon: ScimValue };

export interface Verdict {
  /** What the planner would do; `members`: only group memberships change; `skipped`: something stops it. */
  readonly action: PlanAction | "none" | "skipped" | "members";
  readonly reasons: readonly string[];
  readonly changes: readonly AttributeChange[];
}

/** The `explain` command's answer (`--output json` prints it as it is). */
export interface Explanation {
  readonly request: OnDemandRequest;
  /** Null when no such object was read from Graph or is known to the state. */
  readonly object: { readonly sourceId: string; readonly label: string } | null;
  readonly notFound: string | null;
  /** How it is in the app's scope: null when it was not read (no longer assigned). */
  readonly assignment: {
    readonly direct: boolean;
    readonly throughGroups: readonly string[];
    /** Scope mode "all": every object is read, assignments do not matter. */
    readonly all: boolean;
  } | null;
  readonly scope: ScopeTrace | null;
  readonly mappings: readonly ExplainedMapping[];
  readonly klaxoon: { readonly id: string; readonly label: string; readonly how: "linked" | "matched" } | null;
  readonly verdict: Verdict;
}
