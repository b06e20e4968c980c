/* What on demand is asked and answers: apart from on-demand.ts, which needs cycle-work.ts, which names these. */
/** Like Entra's "Provision on demand": one user or group through the whole pipeline, now. */
export interface OnDemandRequest {
  readonly kind: "user" | "group";
  /** A user's object id or UPN; a group's object id or display name. */
  readonly ref: string;
  /** The `explain` command: a dry run whose result carries the explanation (cycle/explain/). */
  readonly explain?: boolean;
}

export interface OnDemandStep {
  readonly step: "found" | "scope" | "mapping" | "match";
  readonly ok: boolean;
  readonly detail: string;
}
