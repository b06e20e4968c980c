import type { ScimValue } from "../model/index.js";
import type { CompiledMappingList } from "./compile-mappings.js";
import { lookupAttribute } from "./expr/index.js";
import { evaluateMapping, type MappingRuntime } from "./map-resource.js";

/** One mapping as evaluated for one object, for people (the `explain` command). */
export interface MappingTrace {
  readonly target: string;
  readonly apply: "always" | "onCreate";
  readonly required: boolean;
  /** The expression as written (`[mail]`, `Join(" ", [givenName], [surname])`), or `"constant"`. */
  readonly expression: string;
  /** The source attributes it reads, with their values; empty when the expression uses Redact(). */
  readonly inputs: readonly { readonly name: string; readonly value: unknown }[];
  readonly result:
    | { readonly kind: "value"; readonly value: ScimValue }
    | { readonly kind: "ignored" }
    | { readonly kind: "redacted" }
    | { readonly kind: "error"; readonly reason: string };
}

/** Every mapping of the list, evaluated exactly as `mapResource` does it (same function, same coercion). */
export function traceMappings(
  view: Readonly<Record<string, unknown>>,
  list: CompiledMappingList,
  runtime: MappingRuntime,
): MappingTrace[] {
  const context = { attributes: view, now: runtime.now, random: runtime.random };
  return list.mappings.map((mapping) => {
    const source = mapping.source;
    const expression = source.kind === "constant" ? `"${source.value}" (constant)` : source.expression.source;
    const redacted = source.kind === "expression" && source.expression.redacted;
    const names = source.kind === "expression" ? source.expression.attributes : [];
    const inputs = redacted ? [] : names.map((name) => ({ name, value: lookupAttribute(view, name) }));
    const base = { target: mapping.target, apply: mapping.apply, required: mapping.required, expression, inputs };
    try {
      const value = evaluateMapping(mapping, context);
      if (redacted) return { ...base, result: { kind: "redacted" } };
      return { ...base, result: value === undefined ? { kind: "ignored" } : { kind: "value", value } };
    } catch (error) {
      return { ...base, result: { kind: "error", reason: error instanceof Error ? error.message : String(error) } };
    }
  });
}
