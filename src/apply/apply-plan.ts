import pLimit from "p-limit";
import { FatalError } from "../model/index.js";
import type { AttributeChange, Link, ObjectRef, Plan, PlanOperation } from "../plan/index.js";
import { nextEscrows, splitByEscrow, type EscrowEntry, type Escrows } from "./escrow.js";
import type { FailureKind, PatchChange, TargetWriter, WriteOutcome } from "./writer.js";

export interface OperationResult {
  readonly operation: PlanOperation;
  readonly status: "success" | FailureKind | "skipped";
  readonly httpStatus: number | null;
  readonly message: string | null;
  /** The Klaxoon id, known after a create. */
  readonly targetId: string | null;
}

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
}

/**
 * Phases run one after the other because later ones need ids from earlier ones: users, then
 * groups, then member removals, then additions, then deactivations. Within a phase, operations
 * run concurrently; the writer holds the rate limit.
 */
const PHASES: readonly ((op: PlanOperation) => boolean)[] = [
  (op) => op.kind === "user" && op.action !== "deactivate",
  (op) => op.kind === "group" && (op.action === "create" || op.action === "update"),
  (op) => op.action === "removeMembers",
  (op) => op.action === "addMembers",
  (op) => op.action === "deactivate",
];

export async function applyPlan(plan: Plan, writer: TargetWriter, options: ApplyOptions): Promise<ApplyReport> {
  const limit = pLimit(options.concurrency);
  const createdIds = new Map<string, string>(); // "kind:sourceId" → target id
  const results: OperationResult[] = [];
  const created: Link[] = [];
  // Held in an object: TypeScript does not see assignments made inside the callbacks below.
  const stop: { unauthorized: OperationResult | null } = { unauthorized: null };

  const { due, deferred } = splitByEscrow(plan.operations, options.escrows, options.now());
  for (const inPhase of PHASES) {
    const ops = due.filter(inPhase);
    await Promise.all(
      ops.map((op) =>
        limit(async () => {
          const result = stop.unauthorized ? skipped(op, "cycle stopped: Klaxoon refused the Secret Token") : await execute(op, writer, createdIds);
          if (result.status === "unauthorized") stop.unauthorized ??= result;
          if (op.action === "create" && result.targetId !== null && op.object.sourceId !== null) {
            createdIds.set(`${op.kind}:${op.object.sourceId}`, result.targetId);
            created.push({ kind: op.kind, sourceId: op.object.sourceId, targetId: result.targetId });
          }
          results.push(result);
          options.onResult?.(result);
        }),
      ),
    );
  }
  if (stop.unauthorized) {
    throw new FatalError("KLAXOON_UNAUTHORIZED", `Klaxoon refused the Secret Token (HTTP ${stop.unauthorized.httpStatus ?? "?"}): check klaxoon.secretToken`);
  }
  const succeeded = results.filter((r) => r.status === "success").length;
  const failed = results.filter((r) => r.status !== "success" && r.status !== "skipped").length;
  const escrows = nextEscrows(options.escrows, plan.operations, results, options.now());
  return { results, created, succeeded, failed, deferred, escrows };
}

async function execute(op: PlanOperation, writer: TargetWriter, createdIds: ReadonlyMap<string, string>): Promise<OperationResult> {
  const resolve = (kind: "user" | "group", ref: ObjectRef): string | null =>
    ref.targetId ?? (ref.sourceId === null ? null : (createdIds.get(`${kind}:${ref.sourceId}`) ?? null));
  switch (op.action) {
    case "create": {
      const outcome = op.kind === "user" ? await writer.createUser(op.attributes) : await writer.createGroup(op.attributes);
      return toResult(op, outcome, outcome.ok ? outcome.value.id : null);
    }
    case "update":
    case "reactivate":
    case "deactivate": {
      const id = resolve(op.kind, op.object);
      if (id === null) return skipped(op, "no Klaxoon id");
      const changes = op.changes.map(toPatchChange);
      const outcome = op.kind === "user" ? await writer.patchUser(id, changes) : await writer.patchGroup(id, changes);
      return toResult(op, outcome, id);
    }
    case "addMembers":
    case "removeMembers": {
      const groupId = resolve("group", op.object);
      if (groupId === null) return skipped(op, "the group was not created");
      const memberIds = op.members.flatMap((m) => {
        const id = resolve("user", m);
        return id === null ? [] : [id];
      });
      if (memberIds.length === 0) return skipped(op, "none of the members' accounts exist");
      const outcome = op.action === "addMembers" ? await writer.addMembers(groupId, memberIds) : await writer.removeMembers(groupId, memberIds);
      return toResult(op, outcome, groupId);
    }
  }
}

function toPatchChange(change: AttributeChange): PatchChange {
  return change.to === null ? { op: "remove", path: change.path } : { op: "replace", path: change.path, value: change.to };
}

function toResult(operation: PlanOperation, outcome: WriteOutcome<unknown>, targetId: string | null): OperationResult {
  if (outcome.ok) return { operation, status: "success", httpStatus: null, message: null, targetId };
  return { operation, status: outcome.kind, httpStatus: outcome.status, message: outcome.message, targetId };
}

function skipped(operation: PlanOperation, message: string): OperationResult {
  return { operation, status: "skipped", httpStatus: null, message, targetId: null };
}
