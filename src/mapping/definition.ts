/** Mapping definitions as the config states them (config/ validates the shape, we the meaning). */
export interface MappingDefinition {
  readonly target: string;
  readonly direct?: string | undefined;
  readonly constant?: string | undefined;
  readonly expression?: string | undefined;
  /** Used whenever the source yields null (Entra applies it on create only; see README). */
  readonly default?: string | undefined;
  readonly apply: "always" | "onCreate";
  /** 1 is tried first. Set on the attributes used to match existing Klaxoon accounts. */
  readonly matchingPrecedence?: number | undefined;
  /** A null or empty source clears the target (default); false keeps the old value, as Entra does. */
  readonly clearWhenEmpty?: boolean | undefined;
  /** The target refuses an object without this value: one that maps to null is not created (a warning says why). */
  readonly required?: boolean | undefined;
}

export interface MappingSetDefinition {
  readonly users: readonly MappingDefinition[];
  readonly groups: readonly MappingDefinition[];
  readonly groupMembers: boolean;
}
