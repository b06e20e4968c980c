/**
 * SCIMMY declarations, made once per process: SCIMMY keeps resources and handlers in globals,
 * so the handlers here are generic and reach the right emulator through the per-request context
 * that scimmy-routers passes in (several emulators can run in one test process).
 */
import SCIMMY from "scimmy";
import type { FilterExpression } from "./filter.js";
import { applyKlaxoonFilter } from "./filter.js";
import { withoutDropped } from "./dropped-attributes.js";
import type { KlaxoonFaults } from "./faults.js";
import { isObject, type JsonObject, type KlaxoonStore } from "./store.js";

export const KLAXOON_GROUP_EXTENSION_URN = "urn:ietf:params:scim:schemas:extension:klaxoon:2.0:Group";

/** What a SCIMMY handler needs to know about the request it serves. */
export interface EmulatorContext {
  readonly store: KlaxoonStore;
  readonly faults: KlaxoonFaults;
  readonly maxPageSize: number;
  readonly now: () => number;
  /** The request's filter, decoded (SCIMMY sees only placeholders). */
  filter: FilterExpression | null;
  /** The startIndex the client asked for (SCIMMY is handed an already sliced page). */
  listStartIndex: number | null;
}

/** The parts of a SCIMMY resource instance the handlers read. */
interface ResourceView {
  id?: string;
  constraints?: { startIndex?: number; count?: number; totalResults?: number };
}

let declared = false;

export function declareKlaxoonResources(): void {
  if (declared) return;
  declared = true;
  const extension = new SCIMMY.Types.SchemaDefinition(
    "KlaxoonGroup",
    KLAXOON_GROUP_EXTENSION_URN,
    "Klaxoon group extension",
    [
      new SCIMMY.Types.Attribute("string", "license", {
        description: '"true": members get Klaxoon PRO; "false": they do not; unset: PRO',
      }),
    ],
  );
  // SCIMMY's typings want a Schema class here; a SchemaDefinition is what it accepts at run time.
  SCIMMY.Resources.Group.extend(extension as unknown as typeof SCIMMY.Types.Schema, false);
  SCIMMY.Resources.declare(SCIMMY.Resources.User);
  SCIMMY.Resources.declare(SCIMMY.Resources.Group);
  SCIMMY.Resources.User.ingress(((resource: ResourceView, instance: unknown, ctx: EmulatorContext) =>
    writeUser(resource, toJson(instance), ctx)) as never);
  SCIMMY.Resources.User.egress(((resource: ResourceView, ctx: EmulatorContext) => readUsers(resource, ctx)) as never);
  SCIMMY.Resources.User.degress(((resource: ResourceView, ctx: EmulatorContext) =>
    deactivateUser(resource, ctx)) as never);
  SCIMMY.Resources.Group.ingress(((resource: ResourceView, instance: unknown, ctx: EmulatorContext) =>
    writeGroup(resource, toJson(instance), ctx)) as never);
  SCIMMY.Resources.Group.egress(((resource: ResourceView, ctx: EmulatorContext) => readGroups(resource, ctx)) as never);
  SCIMMY.Resources.Group.degress(((resource: ResourceView, ctx: EmulatorContext) => {
    if (!resource.id || !ctx.store.groups.delete(resource.id)) throw notFound(resource.id);
  }) as never);
}

function writeUser(resource: ResourceView, incoming: JsonObject, ctx: EmulatorContext): JsonObject {
  const { store, faults } = ctx;
  const existing = resource.id === undefined ? undefined : store.users.get(resource.id);
  if (resource.id !== undefined && !existing) throw notFound(resource.id);
  if (faults.isPending(existing?.["userName"]) || faults.isPending(incoming["userName"])) throw pending();
  const holder = store.findUserByUserName(String(incoming["userName"]), resource.id);
  if (holder) {
    throw new SCIMMY.Types.Error(409, "uniqueness", `userName '${String(incoming["userName"])}' is already taken`);
  }
  const id = resource.id ?? store.nextId("u");
  const kept = withoutDropped(incoming, existing, faults.droppedPaths("Users"));
  const user: JsonObject = { ...kept, id, active: kept["active"] ?? true };
  if (existing && existing["active"] !== false && user["active"] === false) {
    store.deactivations.push({ id, userName: String(user["userName"]), at: ctx.now() });
  }
  store.users.set(id, user);
  return user;
}

function readUsers(resource: ResourceView, ctx: EmulatorContext): JsonObject | JsonObject[] {
  if (resource.id !== undefined) {
    const user = ctx.store.users.get(resource.id);
    if (!user) throw notFound(resource.id);
    if (ctx.faults.isPending(user["userName"])) throw pending();
    return user;
  }
  const byUserName = ctx.filter ? userNameSought(ctx.filter) : null;
  return page(
    resource,
    ctx,
    byUserName === null ? [...ctx.store.users.values()] : ctx.store.users.withUserName(byUserName),
  );
}

/** The value of a filter that is exactly `userName eq "…"`: answered from the index. */
function userNameSought(filter: FilterExpression): string | null {
  const [branch, ...others] = filter;
  if (!branch || others.length > 0 || Object.keys(branch).length !== 1) return null;
  const condition = branch["userName"];
  return Array.isArray(condition) && condition[0] === "eq" && typeof condition[1] === "string" ? condition[1] : null;
}

function deactivateUser(resource: ResourceView, ctx: EmulatorContext): void {
  const user = resource.id === undefined ? undefined : ctx.store.users.get(resource.id);
  if (!user || resource.id === undefined) throw notFound(resource.id);
  if (ctx.faults.isPending(user["userName"])) throw pending();
  if (user["active"] !== false)
    ctx.store.deactivations.push({ id: resource.id, userName: String(user["userName"]), at: ctx.now() });
  user["active"] = false;
}

function writeGroup(resource: ResourceView, sent: JsonObject, ctx: EmulatorContext): JsonObject {
  const { store } = ctx;
  const existing = resource.id === undefined ? undefined : store.groups.get(resource.id);
  if (resource.id !== undefined && !existing) throw notFound(resource.id);
  const incoming = withoutDropped(sent, existing, ctx.faults.droppedPaths("Groups"));
  const members = Array.isArray(incoming["members"]) ? incoming["members"].filter(isObject) : [];
  const unknown = members.map((m) => String(m["value"])).filter((value) => !store.users.has(value));
  if (unknown.length > 0)
    throw new SCIMMY.Types.Error(400, "invalidValue", `Unknown member ids: ${unknown.slice(0, 5).join(", ")}`);
  const id = resource.id ?? store.nextId("g");
  const group: JsonObject = { ...incoming, id, members: dedupe(members) };
  store.groups.set(id, group);
  return group;
}

function readGroups(resource: ResourceView, ctx: EmulatorContext): JsonObject | JsonObject[] {
  if (resource.id !== undefined) {
    const group = ctx.store.groups.get(resource.id);
    if (!group) throw notFound(resource.id);
    return group;
  }
  return page(resource, ctx, [...ctx.store.groups.values()]);
}

/** Filters and slices here, then tells SCIMMY's ListResponse the page starts at 1 (fixed on the way out). */
function page(resource: ResourceView, ctx: EmulatorContext, all: JsonObject[]): JsonObject[] {
  const matching = ctx.filter ? applyKlaxoonFilter(ctx.filter, all) : all;
  const startIndex = Math.max(1, resource.constraints?.startIndex ?? 1);
  const count = Math.min(ctx.maxPageSize, Math.max(0, resource.constraints?.count ?? ctx.maxPageSize));
  const slice = matching.slice(startIndex - 1, startIndex - 1 + count);
  ctx.listStartIndex = startIndex;
  resource.constraints = { startIndex: 1, count: slice.length, totalResults: matching.length };
  return slice;
}

function dedupe(members: JsonObject[]): JsonObject[] {
  const seen = new Set<string>();
  return members.filter((m) => {
    const value = String(m["value"]);
    if (seen.has(value)) return false;
    seen.add(value);
    return true;
  });
}

function toJson(instance: unknown): JsonObject {
  const json: unknown = JSON.parse(JSON.stringify(instance));
  if (!isObject(json)) throw new SCIMMY.Types.Error(400, "invalidSyntax", "Expected a JSON object");
  delete json["meta"];
  delete json["id"];
  return json;
}

function notFound(id: string | undefined): Error {
  return new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${id ?? ""} not found`);
}

function pending(): Error {
  return new SCIMMY.Types.Error(409, null as unknown as string, "User confirmation pending");
}
