import { randomUUID } from "node:crypto";
import { applyPlan, type ApplyReport, type TargetWriter } from "../apply/index.js";
import type { Logger, ProgressSink, ProvisioningRecord } from "../log/index.js";
import { FatalError } from "../model/index.js";
import { isVirtualAttribute, type CompiledMappingSet } from "../mapping/index.js";
import { buildPlan, type GuardSettings, type Plan } from "../plan/index.js";
import type { CompiledScope } from "../scope/index.js";
import type { AgentState } from "../state/index.js";
import { computeDesiredState, toKindInput } from "./desired-state.js";
import { fingerprintDesired } from "./fingerprints.js";
import { readTargets } from "./read-target.js";
import { narrowedWork } from "./select-work.js";
import type { IncrementalDirectoryReader, IncrementalRead, ReadScope, SnapshotRequest, TargetReader } from "./ports.js";
import { narrowToObject, type OnDemandRequest, type OnDemandStep } from "./on-demand.js";
import { findDroppedAttributes } from "./dropped-attributes.js";
import { recordLinks, recordOutcome } from "./record-outcome.js";
import { reportDroppedAttributes, withFindings } from "./report-dropped-attributes.js";
import { toProvisioningRecord } from "./to-provisioning-record.js";
import { carriedWarnings } from "./carry-warnings.js";
import { checkBinding, type StateBinding } from "./state-binding.js";

export interface CycleSettings {
  readonly app: SnapshotRequest["app"];
  readonly readScope: ReadScope;
  readonly mappings: CompiledMappingSet;
  readonly scopes: { readonly users: CompiledScope; readonly groups: CompiledScope };
  readonly skipOutOfScopeDeletions: boolean;
  readonly guard: GuardSettings;
  readonly concurrency: number;
  readonly dryRun: boolean;
  /** Read the whole directory even when the delta checkpoint could serve. */
  readonly forceFullRead: boolean;
  /** Provision one object now (like Entra's "Provision on demand"), leaving the rest alone. */
  readonly onDemand?: OnDemandRequest | undefined;
  /** The ends and rules this cycle works for; the state must belong to them (see state-binding.ts). */
  readonly binding: StateBinding;
  /** The command that starts afresh, named when the state belongs to another end. */
  readonly startAfreshCommand: string;
}

export interface StateStore {
  read(): Promise<AgentState>;
  write(state: AgentState): Promise<void>;
}

export interface CycleDeps {
  readonly directory: IncrementalDirectoryReader;
  readonly targetReader: TargetReader;
  readonly writer: TargetWriter;
  readonly state: StateStore;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly random: () => number;
  /** Where per-object records go (the log, and a JSONL file when configured). */
  readonly provisioningLog: { record(record: ProvisioningRecord): void };
  readonly progress?: ProgressSink;
}

export type CycleOutcome = "dryRun" | "success" | "failures" | "held";

export interface CycleResult {
  readonly cycleId: string;
  readonly outcome: CycleOutcome;
  readonly plan: Plan;
  readonly report: ApplyReport | null;
  /** For on-demand runs: what happened to the object at each step before applying. */
  readonly onDemandSteps?: readonly OnDemandStep[] | null;
}

/** One reconcile: read both sides, scope, map, plan; then the one dry-run branch; apply; record. */
export async function runCycle(settings: CycleSettings, deps: CycleDeps): Promise<CycleResult> {
  const cycleId = randomUUID();
  const log = deps.logger.child({ cycleId });
  const startedAt = deps.now();
  log.info({ dryRun: settings.dryRun }, "cycle started");

  const { mappings, scopes } = settings;
  const { state, read } = await readEntra(settings, deps, log);
  const { snapshot } = read;
  log.info({ mode: read.mode, fullReadReason: read.fullReadReason, users: snapshot.users.size, groups: snapshot.groups.size, assignments: snapshot.assignmentCount }, "read Entra");

  const desired = computeDesiredState(snapshot, mappings, scopes, { now: deps.now, random: deps.random });
  const request = {
    userPaths: unique(["userName", "active", ...mappings.users.mappings.map((m) => m.target)]),
    groupPaths: unique(["displayName", ...mappings.groups.mappings.map((m) => m.target)]),
    withGroups: mappings.groups.mappings.length > 0,
  };
  const fingerprints = fingerprintDesired(desired, state.links.users);
  const target = await readTargets(deps.targetReader, request, {
    work: { desired, fingerprints, stored: state.fingerprints, links: state.links },
    // On demand looks at one object against everything Klaxoon holds.
    changesOnly: read.mode === "delta" && !settings.onDemand,
  }, log);
  log.info({ read: target.changesOnly ? "changed objects" : "everything", users: target.users.length, groups: target.groups.length }, "read Klaxoon");

  const narrowed = settings.onDemand
    ? narrowToObject(settings.onDemand, { desired, actualUsers: target.users, actualGroups: target.groups, links: state.links, snapshot, mappings, scopes })
    : null;
  const work = narrowed ? narrowedWork(narrowed) : target.work;
  const planned = buildPlan({
    createdAt: startedAt.toISOString(),
    users: toKindInput(desired.users, work.users, mappings.users.matchingPaths, mappings.users.requiredPaths),
    groups: { ...toKindInput(desired.groups, work.groups, mappings.groups.matchingPaths, mappings.groups.requiredPaths), members: mappings.groupMembers ? work.members : null },
    actualUsers: narrowed?.actualUsers ?? target.users,
    actualGroups: narrowed?.actualGroups ?? target.groups,
    skipOutOfScopeDeletions: settings.skipOutOfScopeDeletions,
    // Provisioning one named object on demand is the administrator's explicit decision.
    guard: narrowed ? { ...settings.guard, allow: true } : settings.guard,
    droppedAttributes: state.droppedAttributes,
  });
  const plan: Plan = narrowed ? planned : { ...planned, warnings: [...planned.warnings, ...carriedWarnings(state.warnings, work, desired)] };
  const onDemandSteps = narrowed?.steps ?? null;
  logWarnings(log, plan.warnings);
  if (plan.guard.held) log.warn({ held: plan.held.length, reason: plan.guard.reason }, "deletion guard holds deactivations");

  if (settings.dryRun) {
    log.info({ counts: plan.counts, operations: plan.operations.length }, "dry run: nothing written");
    return { cycleId, outcome: "dryRun", plan, report: null, onDemandSteps };
  }

  deps.progress?.start(plan.operations.length);
  const report = await applyPlan(plan, deps.writer, {
    concurrency: settings.concurrency,
    // On demand runs now, whatever the escrow says; its result does not touch other escrows.
    escrows: narrowed ? {} : state.escrows,
    now: deps.now,
    onResult: (result) => {
      deps.provisioningLog.record(toProvisioningRecord(cycleId, result));
      deps.progress?.tick();
    },
  });
  deps.progress?.finish();
  const dropped = await findDroppedAttributes(report, deps.targetReader, request, log);
  const findings = reportDroppedAttributes(dropped, { cycleId, log, provisioningLog: deps.provisioningLog });
  for (const { operation, entry } of report.deferred) {
    const level = entry.permanent ? "debug" : "info";
    log[level]({ action: operation.action, kind: operation.kind, object: operation.object.label, attempts: entry.attempts, nextAttemptAt: entry.nextAttemptAt, lastError: entry.lastError }, entry.permanent ? "rejected before as invalid: not resent until the change changes" : "in escrow: retried later");
  }
  const outcome: CycleOutcome = plan.guard.held ? "held" : report.failed > 0 || report.deferred.length > 0 ? "failures" : "success";
  const record = { cycleId, plan, report, desired, fingerprints, work, gone: target.gone, outcome, finishedAt: deps.now(), checkpoint: read.checkpoint, binding: settings.binding, dropped };
  await deps.state.write(narrowed ? recordLinks(state, record) : recordOutcome(state, record));
  log.info(
    { outcome, succeeded: report.succeeded, failed: report.failed, held: plan.held.length, durationMs: deps.now().getTime() - startedAt.getTime(), counts: plan.counts },
    "cycle finished",
  );
  return { cycleId, outcome, plan: withFindings(plan, findings), report, onDemandSteps };
}

/**
 * The state, and Entra read with the checkpoint the state holds. A cycle saves a new checkpoint,
 * so the state comes back without the old one (the reader has decoded it) and its raw form, the
 * largest thing in the state file, can be collected before mapping and applying. On demand
 * saves only links and keeps the old checkpoint, so the next cycle still sees the changes.
 */
async function readEntra(settings: CycleSettings, deps: CycleDeps, log: Logger): Promise<{ state: AgentState; read: IncrementalRead }> {
  const stored = await deps.state.read();
  const rulesChanged = boundHere(stored, settings, log);
  const { mappings, scopes } = settings;
  const read = await deps.directory.read({
    app: settings.app,
    scope: settings.readScope,
    userAttributes: graphAttributes([...mappings.users.sourceAttributes, ...scopes.users.attributes, "userPrincipalName", "accountEnabled"]),
    groupAttributes: graphAttributes([...mappings.groups.sourceAttributes, ...scopes.groups.attributes, "displayName", "securityEnabled"]),
    checkpoint: stored.directory,
    // A full read makes the whole cycle a full re-evaluation: every object planned, Klaxoon listed.
    forceFull: settings.forceFullRead || rulesChanged,
  });
  return { state: settings.onDemand ? stored : { ...stored, directory: null }, read };
}

/** Refuses a state made for another tenant, app or Tenant URL; true when only the rules changed. */
function boundHere(stored: AgentState, settings: CycleSettings, log: Logger): boolean {
  const verdict = checkBinding(stored.binding, settings.binding);
  if (verdict.kind === "elsewhere") {
    throw new FatalError(
      "STATE_BOUND_ELSEWHERE",
      `the state file belongs to another ${verdict.what}: it was made for ${verdict.stored}, the config now names ${verdict.current}. ` +
        `Its links and fingerprints describe that other end, so nothing was read or written. If the change is meant, start afresh ` +
        `(links, fingerprints, escrows and delta links are set aside; accounts are matched again by userName): ${settings.startAfreshCommand}`,
    );
  }
  if (verdict.kind === "rulesChanged") log.info({}, "the mappings or scoping rules changed since the last cycle: this cycle re-evaluates everything");
  return verdict.kind === "rulesChanged";
}

/** Each warning on its own line, up to a point: beyond it, one line per code with examples. */
const WARNINGS_PER_CODE = 20;

function logWarnings(log: Logger, warnings: Plan["warnings"]): void {
  const seen = new Map<string, number>();
  for (const warning of warnings) {
    const count = (seen.get(warning.code) ?? 0) + 1;
    seen.set(warning.code, count);
    if (count <= WARNINGS_PER_CODE) log.warn({ code: warning.code, kind: warning.kind, object: warning.label }, warning.message);
  }
  for (const [code, count] of seen) {
    if (count > WARNINGS_PER_CODE) log.warn({ code, more: count - WARNINGS_PER_CODE }, `${count - WARNINGS_PER_CODE} more ${code} warnings (all of them are in the plan)`);
  }
}

/** What to `$select`: each name once, without the virtual attributes the mapper computes. */
function graphAttributes(names: readonly string[]): string[] {
  return unique(names.filter((name) => !isVirtualAttribute(name)));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
