import type { ApplyReport } from "../../apply/index.js";
import type { Link, Plan } from "../../plan/index.js";
import type { AgentState } from "../../state/index.js";
import type { DesiredState } from "../desired-state.js";
import { recordDroppedAttributes, type DroppedAttribute } from "../dropped/index.js";
import type { DirectoryCheckpoint } from "../ports.js";
import type { StateBinding } from "../state-binding.js";
import { fingerprintGroups, warningsToKeep, type Fingerprints, type Recording, type Work } from "../work/index.js";
import { recordFingerprints } from "./record-fingerprints.js";

export interface CycleRecord {
  readonly cycleId: string;
  readonly plan: Plan;
  readonly report: ApplyReport;
  readonly desired: DesiredState;
  /** The fingerprints this cycle planned with; users' stand (they do not depend on links). */
  readonly fingerprints: Fingerprints;
  readonly work: Work;
  /** Linked Klaxoon ids that this cycle looked for and did not find. */
  readonly gone: { readonly users: ReadonlySet<string>; readonly groups: ReadonlySet<string> };
  readonly outcome: string;
  readonly finishedAt: Date;
  /** The directory checkpoint this cycle read with: saved now that it has applied. */
  readonly checkpoint: DirectoryCheckpoint;
  /** The ends and rules the state now belongs to. */
  readonly binding: StateBinding;
  /** Attributes Klaxoon answered success for and did not store, found after applying. */
  readonly dropped: readonly DroppedAttribute[];
}

/** The next state, recorded as the work says (see Recording). */
export function recordCycle(state: AgentState, record: CycleRecord, recording: Recording): AgentState {
  return recording === "linksOnly" ? recordLinks(state, record) : recordOutcome(state, record);
}

/**
 * The next state: links of accounts that still exist, plus what this cycle adopted or created;
 * the fingerprints of what Klaxoon now matches. A link to an account deleted in Klaxoon is
 * dropped, so the next cycle matches afresh.
 */
function recordOutcome(state: AgentState, record: CycleRecord): AgentState {
  const stillThere = {
    users: withoutGone(state.links.users, record.gone.users),
    groups: withoutGone(state.links.groups, record.gone.groups),
  };
  const { plan, report } = record;
  const links = addLinks(stillThere, [...plan.adoptions, ...report.created]);
  const after = { users: record.fingerprints.users, groups: fingerprintGroups(record.desired, links.users) };
  return {
    ...state,
    links,
    fingerprints: recordFingerprints(state.fingerprints, { work: record.work, plan, report, after, links }),
    escrows: report.escrows,
    droppedAttributes: recordDroppedAttributes(state.droppedAttributes, record.dropped, record.desired),
    directory: { ...record.checkpoint },
    binding: record.binding,
    warnings: warningsToKeep(plan),
    lastCycle: {
      id: record.cycleId,
      finishedAt: record.finishedAt.toISOString(),
      outcome: record.outcome,
      counts: { ...plan.counts },
    },
  };
}

/** After an on-demand run: only the links it made are added; everything else stays as it was. */
function recordLinks(state: AgentState, record: Pick<CycleRecord, "plan" | "report" | "binding">): AgentState {
  // The rules stay those of the last full cycle: on demand planned one object, not all.
  const links = addLinks(state.links, [...record.plan.adoptions, ...record.report.created]);
  // Nothing to add: the same state, which the cycle then need not write.
  if (links === state.links && state.binding !== null) return state;
  const binding = state.binding ?? { ...record.binding, rules: "" };
  return { ...state, links, binding };
}

type Links = AgentState["links"];

/** Copies only what changes: at 100,000 users each copy of the links was 20–30 ms of a no-op cycle. */
function addLinks(links: Links, added: readonly Link[]): Links {
  if (added.length === 0) return links;
  const users = added.some((link) => link.kind === "user") ? { ...links.users } : links.users;
  const groups = added.some((link) => link.kind === "group") ? { ...links.groups } : links.groups;
  for (const link of added) (link.kind === "user" ? users : groups)[link.sourceId] = link.targetId;
  return { users, groups };
}

function withoutGone(links: Record<string, string>, gone: ReadonlySet<string>): Record<string, string> {
  if (gone.size === 0) return links;
  return Object.fromEntries(Object.entries(links).filter(([, targetId]) => !gone.has(targetId)));
}
