import { FatalError, forEachConcurrent } from "../model/index.js";
import {
  attributesSet,
  heldOtherwise,
  type AttributeChange,
  type Link,
  type ObjectRef,
  type Plan,
  type PlanOperation,
} from "../plan/index.js";
import { nextEscrows, splitByEscrow, type EscrowEntry, type Escrows } from "./escrow.js";
import type { OperationResult } from "./operation-result.js";
import type { PatchChange, TargetWriter, WriteOutcome } from "./writer.js";

export interface ApplyReport {
  readonly results: readonly OperationResult[];
  /** Links made by creates in this run (adoptions come from the plan). */
  readonly created: readonly Link[];
  readonly succeeded: number;
  readonly failed: number;
  /** Operations held back by their escrow's delay, not attempted this cycle. */
  readonly deferred: readonly { readonly operation: PlanOperation; readonly entry: EscrowEntry }[];
  /** The escrows to keep for the next cycle. */
  readonly escrows: Record<string, EscrowEntry>;
}

export interface ApplyOptions {
  readonly concurrency: number;
  readonly escrows: Escrows;
  readonly now: () => Date;
  readonly onResult?: (result: OperationResult) => void;
  /**
   * Wraps each phase that has work, a batch of writes run concurrently (the cycle traces them):
   * `steps` writes, `run` resolves to the phase's results. By default the phase just runs.
   */
  readonly aroundPhase?: (
    phase: ApplyPhase,
    steps: number,
    run: () => Promise<readonly OperationResult[]>,
  ) => Promise<readonly OperationResult[]>;
}

/**
 * Phases run one after the other because later ones need ids from earlier ones: users, then
 * groups, then member changes, then deactivations. Within a phase, operations run concurrently;
 * the writer holds the rate limit. A new group's members travel in its POST, and a group's
 * member removals and additions in one PATCH: the plan lists them apart for people to read,
 * apply sends each group's member change as one write.
 */
export type ApplyPhase = "users" | "groups" | "members" | "deactivations";
type Phase = ApplyPhase;
const PHASES: readonly Phase[] = ["users", "groups", "members", "deactivations"];

function phaseOf(op: PlanOperation): Phase {
  if (op.action === "deactivate") return "deactivations";
  if (op.kind === "user") return "users";
  return op.action === "addMembers" || op.action === "removeMembers" ? "members" : "groups";
}

type MemberOperation = Extract<PlanOperation, { action: "addMembers" | "removeMembers" }>;

/** One unit of work: a plain operation, a group created with its members, or one group's member change. */
type Step =
  | { readonly kind: "single"; readonly op: PlanOperation }
  | {
      readonly kind: "createGroup";
      readonly op: PlanOperation & { action: "create" };
      readonly members: MemberOperation | null;
    }
  | { readonly kind: "members"; readonly ops: readonly MemberOperation[] };

export async function applyPlan(plan: Plan, writer: TargetWriter, options: ApplyOptions): Promise<ApplyReport> {
  const ids = new CreatedIds();
  const results: OperationResult[] = [];
  const created: Link[] = [];
  // Held in an object: TypeScript does not see assignments made inside the callbacks below.
  const stop: { unauthorized: OperationResult | null } = { unauthorized: null };

  const record = (result: OperationResult): void => {
    const op = result.operation;
    if (result.status === "unauthorized") stop.unauthorized ??= result;
    if (op.action === "create" && result.targetId !== null && op.object.sourceId !== null) {
      ids.set(op.kind, op.object.sourceId, result.targetId);
      created.push({ kind: op.kind, sourceId: op.object.sourceId, targetId: result.targetId });
    }
    results.push(result);
    options.onResult?.(result);
  };

  const { due, deferred } = splitByEscrow(plan.operations, options.escrows, options.now());
  const steps = planSteps(due);
  const runPhase = async (phase: Phase): Promise<readonly OperationResult[]> => {
    const before = results.length;
    await forEachConcurrent(steps[phase], options.concurrency, async (step) => {
      if (stop.unauthorized) {
        for (const op of opsOf(step)) record(skipped(op, "cycle stopped: Klaxoon refused the Secret Token"));
        return;
      }
      for (const result of await executeStep(step, writer, ids)) record(result);
    });
    return results.slice(before);
  };
  for (const phase of PHASES) {
    const count = steps[phase].length;
    if (count === 0) continue;
    await (options.aroundPhase ? options.aroundPhase(phase, count, () => runPhase(phase)) : runPhase(phase));
  }
  if (stop.unauthorized) {
    throw new FatalError(
      "KLAXOON_UNAUTHORIZED",
      `Klaxoon refused the Secret Token (HTTP ${stop.unauthorized.httpStatus ?? "?"}): check klaxoon.secretToken`,
    );
  }
  const succeeded = results.filter((r) => r.status === "success").length;
  const failed = results.filter((r) => r.status !== "success" && r.status !== "skipped").length;
  const escrows = nextEscrows(options.escrows, plan.operations, results, options.now());
  return { results, created, succeeded, failed, deferred, escrows };
}

/** Groups the due operations into steps, by phase. */
function planSteps(due: readonly PlanOperation[]): Record<Phase, Step[]> {
  const steps: Record<Phase, Step[]> = { users: [], groups: [], members: [], deactivations: [] };
  const memberOps = new Map<string, MemberOperation[]>();
  for (const op of due) {
    if (op.action !== "addMembers" && op.action !== "removeMembers") continue;
    const key = groupKey(op.object);
    memberOps.set(key, [...(memberOps.get(key) ?? []), op]);
  }
  for (const op of due) {
    const phase = phaseOf(op);
    if (phase === "members") continue;
    if (op.kind === "group" && op.action === "create") {
      const key = groupKey(op.object);
      const additions = memberOps.get(key)?.find((m) => m.action === "addMembers") ?? null;
      if (additions) memberOps.delete(key); // a new group has nothing to remove
      steps.groups.push({ kind: "createGroup", op, members: additions });
      continue;
    }
    steps[phase].push({ kind: "single", op });
  }
  for (const ops of memberOps.values()) steps.members.push({ kind: "members", ops });
  return steps;
}

function opsOf(step: Step): readonly PlanOperation[] {
  if (step.kind === "members") return step.ops;
  return step.kind === "createGroup" && step.members ? [step.op, step.members] : [step.op];
}

function groupKey(ref: ObjectRef): string {
  return ref.sourceId === null ? `target:${ref.targetId ?? ref.label}` : `source:${ref.sourceId}`;
}

/** Klaxoon ids of objects created earlier in this run, by kind and Entra id. */
class CreatedIds {
  readonly #ids = new Map<string, string>();

  set(kind: "user" | "group", sourceId: string, targetId: string): void {
    this.#ids.set(`${kind}:${sourceId}`, targetId);
  }

  resolve(kind: "user" | "group", ref: ObjectRef): string | null {
    return ref.targetId ?? (ref.sourceId === null ? null : (this.#ids.get(`${kind}:${ref.sourceId}`) ?? null));
  }

  resolveAll(kind: "user" | "group", refs: readonly ObjectRef[]): string[] {
    return refs.flatMap((ref) => {
      const id = this.resolve(kind, ref);
      return id === null ? [] : [id];
    });
  }
}

async function executeStep(step: Step, writer: TargetWriter, ids: CreatedIds): Promise<OperationResult[]> {
  switch (step.kind) {
    case "single":
      return [await execute(step.op, writer, ids)];
    case "createGroup": {
      const memberIds = step.members ? ids.resolveAll("user", step.members.members) : [];
      const outcome = await writer.createGroup(step.op.attributes, memberIds);
      const createResult = toResult(step.op, outcome, outcome.ok ? outcome.value.id : null);
      if (!step.members) return [createResult];
      if (!outcome.ok) return [createResult, skipped(step.members, "the group was not created")];
      if (memberIds.length === 0) return [createResult, skipped(step.members, "none of the members' accounts exist")];
      return [createResult, toResult(step.members, outcome.value.members, outcome.value.id)];
    }
    case "members": {
      const groupId = ids.resolve("group", step.ops[0]!.object);
      if (groupId === null) return step.ops.map((op) => skipped(op, "the group was not created"));
      const change = {
        add: step.ops.flatMap((op) => (op.action === "addMembers" ? ids.resolveAll("user", op.members) : [])),
        remove: step.ops.flatMap((op) => (op.action === "removeMembers" ? ids.resolveAll("user", op.members) : [])),
      };
      if (change.add.length + change.remove.length === 0)
        return step.ops.map((op) => skipped(op, "none of the members' accounts exist"));
      const outcome = await writer.changeMembers(groupId, change);
      return step.ops.map((op) => toResult(op, outcome, groupId));
    }
  }
}

async function execute(op: PlanOperation, writer: TargetWriter, ids: CreatedIds): Promise<OperationResult> {
  switch (op.action) {
    case "create": {
      const outcome =
        op.kind === "user" ? await writer.createUser(op.attributes) : await writer.createGroup(op.attributes, []);
      return toResult(op, outcome, outcome.ok ? outcome.value.id : null);
    }
    case "update":
    case "reactivate":
    case "deactivate": {
      const id = ids.resolve(op.kind, op.object);
      if (id === null) return skipped(op, "no Klaxoon id");
      const changes = op.changes.map(toPatchChange);
      const outcome = op.kind === "user" ? await writer.patchUser(id, changes) : await writer.patchGroup(id, changes);
      return toResult(op, outcome, id);
    }
    case "addMembers":
    case "removeMembers":
      // Member operations always run as a step of their group (see planSteps).
      throw new Error(`${op.action} outside a member step`);
  }
}

function toPatchChange(change: AttributeChange): PatchChange {
  return change.to === null
    ? { op: "remove", path: change.path }
    : { op: "replace", path: change.path, value: change.to };
}

function toResult(operation: PlanOperation, outcome: WriteOutcome<unknown>, targetId: string | null): OperationResult {
  if (outcome.ok) {
    const result: OperationResult = { operation, status: "success", httpStatus: null, message: null, targetId };
    const set = outcome.stored === undefined ? null : attributesSet(operation);
    return set === null || outcome.stored === undefined
      ? result
      : { ...result, heldOtherwise: heldOtherwise(set, outcome.stored) };
  }
  return { operation, status: outcome.kind, httpStatus: outcome.status, message: outcome.message, targetId };
}

function skipped(operation: PlanOperation, message: string): OperationResult {
  return { operation, status: "skipped", httpStatus: null, message, targetId: null };
}
