import type { CompiledMappingSet } from "../../mapping/index.js";
import { groupSourceView, userSourceView } from "../../mapping/index.js";
import type { DirectorySnapshot, MappedResource, TargetGroup, TargetUser } from "../../model/index.js";
import { TargetIndex } from "../../plan/index.js";
import type { CompiledScope } from "../../scope/index.js";
import type { DesiredKind, DesiredState } from "../desired-state.js";
import { membershipLookupFor } from "../membership-lookup.js";
import type { CycleWork } from "./cycle-work.js";
import type { OnDemandRequest, OnDemandStep } from "./on-demand-types.js";
import type { KindWork } from "./select-objects.js";

type Links = Readonly<Record<string, string>>;

interface World {
  readonly snapshot: DirectorySnapshot;
  readonly desired: DesiredState;
  readonly links: { readonly users: Links; readonly groups: Links };
  readonly mappings: CompiledMappingSet;
  readonly scopes: { readonly users: CompiledScope; readonly groups: CompiledScope };
}

/**
 * Narrows a full reconciliation's work to one object (and, for a group, its members): the
 * planner then plans for that object alone, with the same rules as a full cycle. The same shape
 * comes back, with what on demand does differently stated in it.
 */
export function narrowToObject(request: OnDemandRequest, work: CycleWork, world: World): CycleWork {
  const steps: OnDemandStep[] = [];
  const sourceId = locate(request, world);
  if (sourceId === null) {
    const detail = `no ${request.kind} "${request.ref}" among the objects assigned to the app (or in scope mode "all")`;
    steps.push({ step: "found", ok: false, detail });
  } else {
    steps.push({ step: "found", ok: true, detail: `${request.kind} ${sourceId}` });
    explainScope(request.kind, sourceId, world, steps);
  }
  const keepGroups = request.kind === "group" && sourceId !== null ? new Set([sourceId]) : new Set<string>();
  const memberIds = [...keepGroups].flatMap((id) => world.desired.members.get(id) ?? []);
  const keepUsers = new Set(request.kind === "user" && sourceId !== null ? [sourceId] : memberIds);
  const users = narrowKind(world.desired.users, keepUsers);
  const groups = narrowKind(world.desired.groups, keepGroups);
  const members = new Map([...world.desired.members].filter(([id]) => keepGroups.has(id)));
  const userLinks = pick(world.links.users, keepUsers);
  const groupLinks = pick(world.links.groups, keepGroups);
  const { mappings } = world;
  const actualUsers = candidates(work.actual.users, resourcesOf(users), userLinks, mappings.users.matchingPaths);
  const actualGroups = candidates(work.actual.groups, resourcesOf(groups), groupLinks, mappings.groups.matchingPaths);
  const main = [...users.desired, ...groups.desired].find((d) => d.resource.sourceId === sourceId);
  if (main) {
    const linked = (request.kind === "user" ? userLinks : groupLinks)[main.resource.sourceId];
    const found = linked ?? (request.kind === "user" ? actualUsers : actualGroups).find(() => true)?.id;
    const detail =
      found === undefined
        ? "no Klaxoon account matches: it will be created"
        : `Klaxoon ${request.kind} ${found}${linked ? " (linked before)" : " (matched)"}`;
    steps.push({ step: "match", ok: true, detail });
  }
  return {
    ...work,
    planned: { users: kindWork(users, userLinks), groups: kindWork(groups, groupLinks), members },
    actual: { users: actualUsers, groups: actualGroups },
    // Provisioning one named object on demand is the administrator's explicit decision.
    guard: { ...work.guard, allow: true },
    // On demand runs now, whatever the escrow says; its result does not touch other escrows.
    escrows: {},
    // Its plan is about the one object: other objects' lasting warnings are not repeated in it.
    carriedWarnings: [],
    steps,
    recording: "linksOnly",
  };
}

/** The one object (and a group's members) that narrowing kept, planned whole: nothing reserved. */
function kindWork(desired: DesiredKind, links: Links): KindWork {
  return { desired: desired.desired, links: new Map(Object.entries(links)), reserved: new Map(), unchanged: new Set() };
}

/** The Entra object an on-demand request names: read this cycle (by id, UPN or display name) or linked (by id). */
export function locate(request: OnDemandRequest, world: Pick<World, "snapshot" | "links">): string | null {
  const ref = request.ref.toLowerCase();
  if (request.kind === "user") {
    for (const user of world.snapshot.users.values()) {
      if (user.id.toLowerCase() === ref || lower(user.attributes["userPrincipalName"]) === ref) return user.id;
    }
    return Object.hasOwn(world.links.users, request.ref) ? request.ref : null;
  }
  for (const group of world.snapshot.groups.values()) {
    if (group.id.toLowerCase() === ref || lower(group.attributes["displayName"]) === ref) return group.id;
  }
  return Object.hasOwn(world.links.groups, request.ref) ? request.ref : null;
}

function explainScope(kind: "user" | "group", sourceId: string, world: World, steps: OnDemandStep[]): void {
  const desiredKind = kind === "user" ? world.desired.users : world.desired.groups;
  const wanted = desiredKind.desired.find((d) => d.resource.sourceId === sourceId);
  if (wanted) {
    steps.push({ step: "scope", ok: true, detail: "in scope" });
    const attributes = Object.entries(wanted.resource.attributes).map(([path, v]) => `${path}=${JSON.stringify(v)}`);
    steps.push({ step: "mapping", ok: true, detail: attributes.join(", ") });
    return;
  }
  const failure = desiredKind.failed.find((f) => f.sourceId === sourceId);
  if (failure) {
    steps.push({ step: "mapping", ok: false, detail: failure.reason });
    return;
  }
  const { snapshot, scopes } = world;
  const user = snapshot.users.get(sourceId);
  const group = snapshot.groups.get(sourceId);
  const assignments = snapshot.userAssignments.get(sourceId) ?? [];
  const view = user
    ? userSourceView(user, assignments, snapshot.servicePrincipal.appRoles)
    : group
      ? groupSourceView(group)
      : null;
  let why = "no longer assigned";
  if (view !== null && kind === "user") why = scopes.users.explain(view, membershipLookupFor(snapshot)(sourceId));
  else if (view !== null) why = scopes.groups.explain(view);
  steps.push({ step: "scope", ok: false, detail: `out of scope: ${why}` });
}

function narrowKind(kind: DesiredKind, keep: ReadonlySet<string>): DesiredKind {
  return {
    desired: kind.desired.filter((d) => keep.has(d.resource.sourceId)),
    outOfScope: new Set([...kind.outOfScope].filter((id) => keep.has(id))),
    failed: kind.failed.filter((f) => keep.has(f.sourceId)),
  };
}

function pick(links: Readonly<Record<string, string>>, keep: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(links).filter(([id]) => keep.has(id)));
}

/** The Klaxoon objects the kept Entra objects are linked to or could match. */
function candidates<T extends TargetUser | TargetGroup>(
  all: readonly T[],
  resources: readonly MappedResource[],
  links: Links,
  paths: readonly string[],
): T[] {
  const index = new TargetIndex(all, paths);
  const ids = new Set(Object.values(links));
  for (const resource of resources) {
    for (const key of resource.matchKeys) for (const hit of index.find(key.path, key.value)) ids.add(hit.id);
  }
  return all.filter((target) => ids.has(target.id));
}

function resourcesOf(kind: DesiredKind): MappedResource[] {
  return kind.desired.map((d) => d.resource);
}

function lower(value: unknown): string {
  return String(value ?? "").toLowerCase();
}
