import { ConfigError } from "../model/index.js";
import { compileExpression, ExpressionError, type CompiledExpression } from "./expr/index.js";
import type { MappingDefinition, MappingSetDefinition } from "./definition.js";
import { isVirtualAttribute } from "./source-view.js";
import { isValidTargetPath } from "./target-path.js";

/** How one target attribute gets its value: a Direct mapping is a one-attribute expression. */
export interface CompiledMapping {
  readonly target: string;
  readonly apply: "always" | "onCreate";
  readonly defaultValue: string | null;
  readonly matchingPrecedence: number | null;
  readonly clearWhenEmpty: boolean;
  /** An object whose value maps to null is not created (the target refuses it). */
  readonly required: boolean;
  readonly source:
    | { readonly kind: "constant"; readonly value: string }
    | { readonly kind: "expression"; readonly expression: CompiledExpression };
}

export interface CompiledMappingList {
  readonly mappings: readonly CompiledMapping[];
  /** Target paths used to match existing accounts, in precedence order. */
  readonly matchingPaths: readonly string[];
  /** Graph attribute names the mappings read (for `$select`). */
  readonly sourceAttributes: readonly string[];
  /**
   * Target paths an object cannot be created without: the kind's mandatory target (`userName`, a group's
   * `displayName`), then every mapping marked `required`, in mapping order.
   */
  readonly requiredPaths: readonly string[];
}

export interface CompiledMappingSet {
  readonly users: CompiledMappingList;
  readonly groups: CompiledMappingList;
  readonly groupMembers: boolean;
}

/**
 * Compiles every mapping once, at load. Problems are collected, not thrown one at a time, so
 * `validate` reports every bad expression and target in one run.
 */
export function compileMappings(definition: MappingSetDefinition, where: string): CompiledMappingSet {
  const problems: ConfigError[] = [];
  const users = compileList(definition.users, `${where}.users`, ["userName"], problems);
  const groups = compileList(
    definition.groups,
    `${where}.groups`,
    definition.groups.length > 0 ? ["displayName"] : [],
    problems,
  );
  const [first] = problems;
  if (first) {
    const code = problems.length === 1 ? first.code : "MAPPING_INVALID";
    throw new ConfigError(code, problems.map((p) => p.message).join("\n"), { cause: first });
  }
  return { users, groups, groupMembers: definition.groupMembers };
}

/** `mandatory`: the targets every list of the kind must map (the target refuses objects without them). */
function compileList(
  definitions: readonly MappingDefinition[],
  where: string,
  mandatory: readonly string[],
  problems: ConfigError[],
): CompiledMappingList {
  const seen = new Set<string>();
  const mappings = definitions.flatMap((definition, index) => {
    const at = `${where}[${index}]`;
    if (!isValidTargetPath(definition.target)) {
      problems.push(
        new ConfigError(
          "MAPPING_TARGET_INVALID",
          `${at}.target: "${definition.target}" is not a SCIM attribute path (expected attr, attr.sub, attr[type eq "work"].sub or urn:…:attr)`,
        ),
      );
    } else if (seen.has(definition.target)) {
      problems.push(
        new ConfigError("MAPPING_TARGET_DUPLICATE", `${at}.target: "${definition.target}" is mapped twice`),
      );
    }
    seen.add(definition.target);
    try {
      return [compileOne(definition, at)];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error);
      return [];
    }
  });
  for (const target of mandatory) {
    if (!seen.has(target))
      problems.push(
        new ConfigError("MAPPING_REQUIRED_MISSING", `${where}: no mapping targets "${target}", which Klaxoon requires`),
      );
  }
  const matching = mappings.filter((m) => m.matchingPrecedence !== null);
  const precedences = new Set(matching.map((m) => m.matchingPrecedence));
  if (precedences.size !== matching.length) {
    problems.push(
      new ConfigError("MAPPING_PRECEDENCE_DUPLICATE", `${where}: two mappings share one matchingPrecedence`),
    );
  }
  const matchingPaths = matching
    .sort((a, b) => (a.matchingPrecedence ?? 0) - (b.matchingPrecedence ?? 0))
    .map((m) => m.target);
  const sourceAttributes = new Set<string>();
  for (const mapping of mappings) {
    if (mapping.source.kind !== "expression") continue;
    for (const name of mapping.source.expression.attributes) {
      if (!isVirtualAttribute(name)) sourceAttributes.add(name);
    }
  }
  // The mandatory targets were always required (the planner was given them whatever the file said).
  const requiredPaths = [...new Set([...mandatory, ...mappings.filter((m) => m.required).map((m) => m.target)])];
  return {
    mappings,
    matchingPaths: matchingPaths.length > 0 ? matchingPaths : mandatory.slice(0, 1),
    sourceAttributes: [...sourceAttributes],
    requiredPaths,
  };
}

function compileOne(definition: MappingDefinition, at: string): CompiledMapping {
  const common = {
    target: definition.target,
    apply: definition.apply,
    defaultValue: definition.default ?? null,
    matchingPrecedence: definition.matchingPrecedence ?? null,
    clearWhenEmpty: definition.clearWhenEmpty ?? true,
    required: definition.required ?? false,
  };
  if (definition.constant !== undefined) return { ...common, source: { kind: "constant", value: definition.constant } };
  const [key, text] =
    definition.direct !== undefined
      ? ["direct", `[${definition.direct}]`]
      : ["expression", definition.expression ?? ""];
  try {
    return { ...common, source: { kind: "expression", expression: compileExpression(text) } };
  } catch (error) {
    if (error instanceof ExpressionError) {
      throw new ConfigError(error.code, `${at}.${key}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
