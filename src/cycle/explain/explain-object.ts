/**
 * `explain`: why one object is (or is not) provisioned as it is, from the same read, scoping,
 * mapping and plan as every cycle (an on-demand dry run): how it is in scope, each clause with
 * the value it compared, each mapping with its inputs, its result and what Klaxoon holds, and
 * what the planner would do, with the reason. Pure: everything comes from the cycle's own data.
 */
import { type Escrows, escrowKey } from "../../apply/index.js";
import { groupSourceView, type MappingRuntime, traceMappings, userSourceView } from "../../mapping/index.js";
import type { DirectorySnapshot, ScimValue, TargetGroup, TargetUser } from "../../model/index.js";
import type { CompiledMappingSet } from "../../mapping/index.js";
import type { AttributeChange, Plan, PlanOperation } from "../../plan/index.js";
import type { CompiledScope } from "../../scope/index.js";
import { membershipLookupFor } from "../membership-lookup.js";
import { locate, type OnDemandRequest } from "../work/index.js";
import type { Explanation, ExplainedMapping, Verdict } from "./explanation.js";

export interface ExplainInput {
  readonly request: OnDemandRequest;
  readonly snapshot: DirectorySnapshot;
  readonly mappings: CompiledMappingSet;
  readonly scopes: { readonly users: CompiledScope; readonly groups: CompiledScope };
  readonly readScope: "assigned" | "all";
  /** The Klaxoon accounts the on-demand work read: the object's own (linked or matching), if any. */
  readonly actual: { readonly users: readonly TargetUser[]; readonly groups: readonly TargetGroup[] };
  readonly links: {
    readonly users: Readonly<Record<string, string>>;
    readonly groups: Readonly<Record<string, string>>;
  };
  /** The on-demand plan: the one object, planned whole. */
  readonly plan: Plan;
  /** The state's escrows: what a regular cycle would still wait for (on demand does not). */
  readonly escrows: Escrows;
  readonly now: Date;
  readonly runtime: MappingRuntime;
}

export function explainObject(input: ExplainInput): Explanation {
  const { request, snapshot } = input;
  const sourceId = locate(request, { snapshot, links: input.links });
  if (sourceId === null) {
    return {
      request,
      object: null,
      notFound: `no ${request.kind} "${request.ref}" among the ${request.kind}s ${input.readScope === "all" ? "read from Graph" : "assigned to the app"}, and none the agent manages`,
      assignment: null,
      scope: null,
      mappings: [],
      klaxoon: null,
      verdict: { action: "none", reasons: ["not found"], changes: [] },
    };
  }
  const kind = request.kind;
  const user = kind === "user" ? snapshot.users.get(sourceId) : undefined;
  const group = kind === "group" ? snapshot.groups.get(sourceId) : undefined;
  const view = user
    ? userSourceView(user, snapshot.userAssignments.get(sourceId) ?? [], snapshot.servicePrincipal.appRoles)
    : group
      ? groupSourceView(group)
      : null;
  const label = labelOf(view, kind) ?? sourceId;
  const links = kind === "user" ? input.links.users : input.links.groups;
  const target = findTarget(input, sourceId);
  const scope =
    view === null
      ? null
      : kind === "user"
        ? input.scopes.users.trace(view, membershipLookupFor(snapshot)(sourceId))
        : input.scopes.groups.trace(view);
  const list = kind === "user" ? input.mappings.users : input.mappings.groups;
  const mappings: ExplainedMapping[] =
    view === null || scope?.inScope === false
      ? []
      : traceMappings(view, list, input.runtime).map((m) => ({ ...m, klaxoon: target?.attributes[m.target] ?? null }));
  return {
    request,
    object: { sourceId, label },
    notFound: null,
    assignment: view === null ? null : assignmentOf(input, sourceId),
    scope,
    mappings,
    klaxoon:
      target === undefined
        ? null
        : {
            id: target.id,
            label: "userName" in target ? target.userName : target.displayName,
            how: links[sourceId] === target.id ? "linked" : "matched",
          },
    verdict: verdictFor(input, sourceId, view !== null, mappings, target !== undefined),
  };
}

function labelOf(view: Readonly<Record<string, unknown>> | null, kind: "user" | "group"): string | null {
  const value = view?.[kind === "user" ? "userPrincipalName" : "displayName"];
  return typeof value === "string" ? value : null;
}

function findTarget(input: ExplainInput, sourceId: string): TargetUser | TargetGroup | undefined {
  const linked = (input.request.kind === "user" ? input.links.users : input.links.groups)[sourceId];
  const all: readonly (TargetUser | TargetGroup)[] =
    input.request.kind === "user" ? input.actual.users : input.actual.groups;
  return all.find((t) => t.id === linked) ?? (linked === undefined ? all[0] : undefined);
}

/** Direct assignment, or the assigned groups that bring it in (users); groups are assigned directly. */
function assignmentOf(input: ExplainInput, sourceId: string): Explanation["assignment"] {
  if (input.readScope === "all") return { direct: false, throughGroups: [], all: true };
  const assignments = input.snapshot.userAssignments.get(sourceId) ?? [];
  const direct = input.request.kind === "group" || assignments.some((a) => a.principalId === sourceId);
  const throughGroups = assignments
    .filter((a) => a.principalId !== sourceId)
    .map((a) => String(input.snapshot.groups.get(a.principalId)?.attributes["displayName"] ?? a.principalId));
  return { direct, throughGroups: [...new Set(throughGroups)], all: false };
}

function verdictFor(
  input: ExplainInput,
  sourceId: string,
  read: boolean,
  mappings: readonly ExplainedMapping[],
  hasTarget: boolean,
): Verdict {
  const { plan } = input;
  const mine = (op: PlanOperation): boolean =>
    op.object.sourceId === sourceId ||
    ((op.action === "addMembers" || op.action === "removeMembers") && op.members.some((m) => m.sourceId === sourceId));
  const reasons: string[] = [];
  const operations = plan.operations.filter(mine);
  for (const op of operations) {
    const entry = input.escrows[escrowKey(op)];
    if (entry !== undefined && Date.parse(entry.nextAttemptAt) > input.now.getTime())
      reasons.push(
        `escrow: ${op.action} failed ${entry.attempts} time(s) (last: ${entry.lastError.status}${entry.lastError.httpStatus === null ? "" : ` ${entry.lastError.httpStatus}`}); a regular cycle retries it at ${entry.nextAttemptAt}`,
      );
  }
  for (const op of plan.held.filter(mine))
    reasons.push(`deletion guard: ${op.action} held (${plan.guard.reason ?? ""})`);
  for (const { operation, rule } of plan.protected.filter(({ operation }) => mine(operation)))
    reasons.push(`protected: ${operation.action} withheld by ${rule}`);
  for (const warning of plan.warnings.filter((w) => w.sourceId === sourceId))
    reasons.push(`${warning.code}: ${warning.message}`);
  if (hasTarget)
    for (const m of mappings)
      if (m.apply === "onCreate" && m.result.kind === "value" && m.result.value !== m.klaxoon)
        reasons.push(`create-only: ${m.target} is sent when the account is created, never updated`);
  const main = operations.find((op) => op.object.sourceId === sourceId);
  if (main !== undefined)
    return { action: main.action, reasons: [...describe(main), ...reasons], changes: changesOf(main) };
  const stopped = [...plan.held, ...plan.protected.map((p) => p.operation)].find(
    (op) => op.object.sourceId === sourceId,
  );
  if (stopped !== undefined || reasons.some((r) => !r.startsWith("create-only")))
    return { action: "skipped", reasons, changes: stopped === undefined ? [] : changesOf(stopped) };
  if (operations.length > 0) return { action: "members", reasons, changes: [] };
  if (!read)
    return {
      action: "none",
      reasons: ["not read from Graph (no longer assigned) and its account is already inactive or gone", ...reasons],
      changes: [],
    };
  if (!hasTarget && mappings.length === 0)
    return { action: "none", reasons: ["out of scope and never provisioned", ...reasons], changes: [] };
  return { action: "none", reasons: ["Klaxoon already holds what the mappings give", ...reasons], changes: [] };
}

function describe(op: PlanOperation): string[] {
  switch (op.action) {
    case "create":
      return ["no Klaxoon account is linked or matches: it would be created"];
    case "deactivate":
      return [`deactivate: ${DEACTIVATION[op.reason]}`];
    case "reactivate":
      return ["reactivate: the account is inactive in Klaxoon and active in Entra"];
    case "update":
      return [
        `update ${op.changes.map((c) => c.path).join(", ")}${op.drift ? " (drift: changed in Klaxoon by hand)" : ""}`,
      ];
    default:
      return [`${op.action}: ${op.members.map((m) => m.label).join(", ")}`];
  }
}

const DEACTIVATION: Readonly<Record<string, string>> = {
  unassigned: "no longer assigned to the app (directly or through a group)",
  outOfScope: "a scoping filter excludes it now",
  disabled: "its account is disabled in Entra",
  softDeleted: "it was deleted in Entra (in the recycle bin)",
};

function changesOf(op: PlanOperation): readonly AttributeChange[] {
  if (op.action === "create")
    return Object.entries(op.attributes).map(
      ([path, to]): AttributeChange => ({ path, from: null, to: to as ScimValue }),
    );
  return "changes" in op ? op.changes : [];
}
