/**
 * The README's "Reliability" table, rendered from the fault matrix itself, so the numbers there
 * are the ones the tests assert (a test keeps the README in step).
 */
import type { FaultCase } from "./fault-cases.js";

export const TABLE_HEADER = [
  "| fault | injected where | faulted cycle exits | cycles to converge (at most) | accounts lost | wrong deactivations |",
  "|---|---|---|---|---|---|",
];

export function renderFaultMatrixRows(cases: readonly FaultCase[]): string[] {
  return cases.map((row) => {
    const exits = row.faultedExit.map((code) => (code === null ? "killed" : String(code))).join(" or ");
    const note = row.footnote === undefined ? "" : ` ${row.footnote}`;
    return `| ${row.fault} | ${row.injectedAt} | ${exits} | ${row.maxCycles}${note} | 0 | 0 |`;
  });
}
