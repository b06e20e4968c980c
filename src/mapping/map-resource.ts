import type { MappedResource, ResourceKind, ScimValue } from "../model/index.js";
import type { EvalContext, ExprValue } from "./expr/index.js";
import { isIgnoreFlow } from "./expr/index.js";
import type { CompiledMapping, CompiledMappingList } from "./compile-mappings.js";
import { isBooleanTarget } from "./target-path.js";

export type MappingOutcome =
  | { readonly ok: true; readonly resource: MappedResource }
  | {
      readonly ok: false;
      readonly kind: ResourceKind;
      readonly sourceId: string;
      readonly label: string;
      readonly reason: string;
    };

export interface MappingRuntime {
  readonly now: () => Date;
  readonly random: () => number;
}

export function mapResource(
  kind: ResourceKind,
  sourceId: string,
  label: string,
  view: Readonly<Record<string, unknown>>,
  list: CompiledMappingList,
  runtime: MappingRuntime,
): MappingOutcome {
  const attributes: Record<string, ScimValue> = {};
  const createOnly: Record<string, ScimValue> = {};
  const context: EvalContext = { attributes: view, now: runtime.now, random: runtime.random };
  for (const mapping of list.mappings) {
    let value: ScimValue | undefined;
    try {
      value = evaluateMapping(mapping, context);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, kind, sourceId, label, reason: `mapping to ${mapping.target}: ${reason}` };
    }
    if (value === undefined) continue; // IgnoreFlowIfNullOrEmpty: leave the target attribute alone
    (mapping.apply === "always" ? attributes : createOnly)[mapping.target] = value;
  }
  const matchKeys = list.matchingPaths.flatMap((path) => {
    const value = attributes[path] ?? createOnly[path];
    return typeof value === "string" && value !== "" ? [{ path, value }] : [];
  });
  return { ok: true, resource: { kind, sourceId, label, attributes, createOnly, matchKeys } };
}

/** `undefined` means "do not touch this attribute"; `null` means "should be empty". */
export function evaluateMapping(mapping: CompiledMapping, context: EvalContext): ScimValue | undefined {
  const raw = mapping.source.kind === "constant" ? mapping.source.value : mapping.source.expression.evaluate(context);
  if (isIgnoreFlow(raw)) return undefined;
  const value = raw === null || raw === "" ? mapping.defaultValue : raw;
  if (value === null && !mapping.clearWhenEmpty) return undefined;
  return coerce(mapping.target, value);
}

function coerce(target: string, value: ExprValue): ScimValue {
  if (value === null) return null;
  if (Array.isArray(value)) {
    if (value.length > 1)
      throw new Error(`a multi-valued result (${value.length} values) cannot fill a single-valued attribute`);
    return coerce(target, value[0] ?? null);
  }
  if (isBooleanTarget(target)) {
    if (typeof value === "boolean") return value;
    const text = String(value).toLowerCase();
    if (text === "true") return true;
    if (text === "false") return false;
    throw new Error(`"${String(value)}" is not a Boolean (expected "True" or "False")`);
  }
  if (typeof value === "boolean") return value ? "True" : "False"; // as Entra's CStr writes them
  return typeof value === "string" ? value : String(value);
}
