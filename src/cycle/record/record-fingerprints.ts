import type { ApplyReport } from "../../apply/index.js";
import { objectKeyOf, type Plan } from "../../plan/index.js";
import { DEPARTED, type Fingerprints, type KindWork, type Work } from "../work/index.js";

type Stored = Readonly<Record<string, string>>;

/**
 * The fingerprints to keep after an applied cycle. A planned object gets its new fingerprint
 * only when everything planned for it succeeded and it ends linked (or is an inactive user
 * rightly never created); otherwise it loses its fingerprint, so the next cycle plans it again.
 * Objects not planned keep theirs; objects neither desired nor linked lose theirs.
 */
export function recordFingerprints(
  stored: { readonly users: Stored; readonly groups: Stored },
  input: {
    readonly work: Work;
    readonly plan: Plan;
    readonly report: ApplyReport;
    readonly after: Fingerprints;
    readonly links: { readonly users: Stored; readonly groups: Stored };
  },
): { users: Record<string, string>; groups: Record<string, string> } {
  const troubled = troubledObjects(input.plan, input.report);
  const touched = new Set(input.plan.operations.map(objectKeyOf));
  const { work, after, links } = input;
  return {
    users: nextKind("user", stored.users, work.users, after.users, links.users, troubled, touched),
    groups: nextKind("group", stored.groups, work.groups, after.groups, links.groups, troubled, touched),
  };
}

function nextKind(
  kind: "user" | "group",
  stored: Stored,
  work: KindWork,
  after: ReadonlyMap<string, string>,
  links: Stored,
  troubled: ReadonlySet<string>,
  touched: ReadonlySet<string>,
): Record<string, string> {
  const next: Record<string, string> = {};
  for (const [id, fingerprint] of Object.entries(stored)) if (after.has(id) || id in links) next[id] = fingerprint;
  const settle = (id: string, fingerprint: string): void => {
    if (troubled.has(`${kind}:${id}`)) delete next[id];
    else next[id] = fingerprint;
  };
  for (const { resource } of work.desired) {
    const id = resource.sourceId;
    const fingerprint = after.get(id);
    // Unlinked with nothing planned: rightly not created (inactive, a required value missing, a
    // duplicate key…). Settled until it changes; the full reconciliation looks at it again.
    const settledUnlinked = !(id in links) && !touched.has(`${kind}:${id}`);
    if (fingerprint !== undefined && (id in links || settledUnlinked)) settle(id, fingerprint);
    else delete next[id];
  }
  for (const id of work.links.keys()) if (!after.has(id) && id in links) settle(id, DEPARTED);
  return next;
}

/**
 * Objects with an operation that did not succeed: failed, skipped, deferred, held or protected
 * (planned again each cycle, so a rule lifted takes effect and its warning stays in view).
 */
function troubledObjects(plan: Plan, report: ApplyReport): Set<string> {
  const succeeded = new Set(report.results.filter((r) => r.status === "success").map((r) => r.operation));
  const troubled = new Set<string>();
  for (const op of plan.operations) if (!succeeded.has(op)) troubled.add(objectKeyOf(op));
  for (const op of plan.held) troubled.add(objectKeyOf(op));
  for (const { operation } of plan.protected) troubled.add(objectKeyOf(operation));
  return troubled;
}
