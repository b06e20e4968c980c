import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { GRAPH_CASES, KLAXOON_CASES } from "./fault-cases.js";
import { TABLE_HEADER, renderFaultMatrixRows } from "./fault-matrix-table.js";
import { PROCESS_CASES } from "./process-fault-cases.js";
import { QUIET_CYCLE_CASES } from "./quiet-cycle-fault-cases.js";

describe("the README's Reliability table", () => {
  it("is the fault matrix the tests run, row for row", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const table = [
      ...TABLE_HEADER,
      ...renderFaultMatrixRows([...GRAPH_CASES, ...KLAXOON_CASES, ...PROCESS_CASES, ...QUIET_CYCLE_CASES]),
    ].join("\n");
    expect(readme).toContain(table);
  });
});
