import { DATE_FUNCTIONS } from "./date-functions.js";
import { LIST_FUNCTIONS } from "./list-functions.js";
import { LOGIC_FUNCTIONS } from "./logic-functions.js";
import { RANDOM_FUNCTIONS } from "./random-functions.js";
import { REPLACE_FUNCTION } from "./replace.js";
import { TEXT_FUNCTIONS } from "./text-functions.js";
import type { FunctionSpec } from "./types.js";

/**
 * The closed world of functions: a Map keyed by exact (case-sensitive) name. Names from an
 * expression are only ever looked up here, never as object properties, so `constructor` or
 * `__proto__` are simply unknown functions.
 */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map([
  ...TEXT_FUNCTIONS,
  ...LOGIC_FUNCTIONS,
  ...LIST_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...RANDOM_FUNCTIONS,
  ...REPLACE_FUNCTION,
]);

/** Bare words an expression may use as values (InStr's compare type). */
export const NAMED_CONSTANTS: ReadonlySet<string> = new Set(["vbBinaryCompare", "vbTextCompare"]);
