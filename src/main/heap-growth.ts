import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the heap grow past what its last full collection kept, in percent. Left to
 * itself, V8 lets a small heap grow to up to four times its live size before collecting fully:
 * at 100,000 users the agent keeps about 100 MB alive, yet peaked at 310 to 440 MB of RSS, most
 * of it garbage from finished requests waiting for that collection. Doubling at most holds the
 * peak near 260 MB (330 MB for the initial sync) at no measurable cost in time (see the README's
 * benchmark). Node accepts this V8 flag only on the command line or at run time, not in
 * NODE_OPTIONS, hence here.
 */
export const HEAP_GROWING_PERCENT = 100;

/** Applies the limit unless the operator started node with their own; says which happened. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): "applied" | "operator's own" {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return "operator's own";
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return "applied";
}
