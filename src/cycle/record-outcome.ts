import type { ApplyReport } from "../apply/index.js";
import type { TargetGroup, TargetUser } from "../model/index.js";
import type { Plan } from "../plan/index.js";
import type { AgentState } from "../state/index.js";
import type { DirectoryCheckpoint } from "./ports.js";

export interface CycleRecord {
  readonly cycleId: string;
  readonly plan: Plan;
  readonly report: ApplyReport;
  readonly actualUsers: readonly TargetUser[];
  readonly actualGroups: readonly TargetGroup[];
  readonly outcome: string;
  readonly finishedAt: Date;
  /** The directory checkpoint this cycle read with: saved now that it has applied. */
  readonly checkpoint: DirectoryCheckpoint;
}

/**
 * The next state: links of accounts that still exist, plus what this cycle adopted or created.
 * A link to an account deleted in Klaxoon is dropped, so the next cycle matches afresh.
 */
export function recordOutcome(state: AgentState, record: CycleRecord): AgentState {
  const kept = { ...state, links: { users: keepExisting(state.links.users, record.actualUsers), groups: keepExisting(state.links.groups, record.actualGroups) } };
  return {
    ...recordLinks(kept, record),
    escrows: record.report.escrows,
    directory: { ...record.checkpoint },
    lastCycle: { id: record.cycleId, finishedAt: record.finishedAt.toISOString(), outcome: record.outcome, counts: { ...record.plan.counts } },
  };
}

function keepExisting(links: Readonly<Record<string, string>>, actual: readonly { readonly id: string }[]): Record<string, string> {
  const existing = new Set(actual.map((a) => a.id));
  return Object.fromEntries(Object.entries(links).filter(([, targetId]) => existing.has(targetId)));
}

/** After an on-demand run: only the links it made are added; everything else stays as it was. */
export function recordLinks(state: AgentState, record: CycleRecord): AgentState {
  const users = { ...state.links.users };
  const groups = { ...state.links.groups };
  for (const link of [...record.plan.adoptions, ...record.report.created]) {
    (link.kind === "user" ? users : groups)[link.sourceId] = link.targetId;
  }
  return { ...state, links: { users, groups } };
}
