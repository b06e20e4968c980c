/** What a cycle is given and gives back: apart from run-cycle.ts so read-entra.ts can name them too. */
import type { ApplyReport, TargetWriter } from "../apply/index.js";
import type { Logger, ProgressSink, ProvisioningRecord } from "../log/index.js";
import type { CompiledMappingSet } from "../mapping/index.js";
import type { AccountProtection } from "../model/index.js";
import type { GuardSettings, Plan } from "../plan/index.js";
import type { CompiledScope } from "../scope/index.js";
import type { AgentState, QuietRecord } from "../state/index.js";
import type { IncrementalDirectoryReader, ReadScope, SnapshotRequest, TargetReader } from "./ports.js";
import type { StateBinding } from "./state-binding.js";
import type { Explanation } from "./explain/explanation.js";
import type { ReviewedPlan } from "./reviewed/check-reviewed.js";
import type { Tracing } from "./tracing.js";
import type { OnDemandRequest, OnDemandStep } from "./work/index.js";

export interface CycleSettings {
  readonly app: SnapshotRequest["app"];
  readonly readScope: ReadScope;
  readonly mappings: CompiledMappingSet;
  readonly scopes: { readonly users: CompiledScope; readonly groups: CompiledScope };
  readonly skipOutOfScopeDeletions: boolean;
  readonly guard: GuardSettings;
  /** `protect:` rules: accounts the plan never changes, deactivates or removes from a group. */
  readonly protection: AccountProtection;
  readonly concurrency: number;
  readonly dryRun: boolean;
  /** Read the whole directory even when the delta checkpoint could serve. */
  readonly forceFullRead: boolean;
  /**
   * A leaver-lane pass (daemon): a delta round only, then only the plan's deactivations and
   * member removals; links only are recorded, and the delta checkpoint stays the regular cycle's.
   */
  readonly lane?: { readonly relistAssignments: boolean } | undefined;
  /** `apply plan.json`: apply this reviewed plan as reviewed, or refuse (cycle/reviewed/). */
  readonly reviewed?: ReviewedPlan | undefined;
  /** Provision one object now (like Entra's "Provision on demand"), leaving the rest alone. */
  readonly onDemand?: OnDemandRequest | undefined;
  /** The ends and rules this cycle works for; the state must belong to them (see state-binding.ts). */
  readonly binding: StateBinding;
  /** The command that starts afresh, named when the state belongs to another end. */
  readonly startAfreshCommand: string;
}

/** The cycle's port on the state: the state as last written (or a fresh one), and its replacement. */
export interface CycleState {
  read(): Promise<AgentState>;
  write(state: AgentState): Promise<void>;
  /** The quiet record (cycle/quiet/): none where these are absent, and every cycle runs in full. */
  readQuiet?(): Promise<QuietRecord | null>;
  writeQuiet?(record: QuietRecord): Promise<void>;
}

export interface CycleDeps {
  readonly directory: IncrementalDirectoryReader;
  readonly targetReader: TargetReader;
  readonly writer: TargetWriter;
  readonly state: CycleState;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly random: () => number;
  /** Where per-object records go (the log, and a JSONL file when configured). */
  readonly provisioningLog: { record(record: ProvisioningRecord): void };
  readonly progress?: ProgressSink;
  /** Spans per cycle, phase and batch of writes (tracing.ts); none by default. */
  readonly tracing?: Tracing;
}

export type CycleOutcome = "dryRun" | "success" | "failures" | "held";

export interface CycleResult {
  readonly cycleId: string;
  readonly outcome: CycleOutcome;
  readonly plan: Plan;
  readonly report: ApplyReport | null;
  /** For on-demand runs: what happened to the object at each step before applying. */
  readonly onDemandSteps?: readonly OnDemandStep[] | null;
  /** For `explain` (an on-demand dry run asked to explain): the object's explanation. */
  readonly explanation?: Explanation;
  /** A dry run whose mappings or scoping rules differ from the last cycle's: it evaluated everything (a preview). */
  readonly rulesChanged?: boolean;
}
