import fc from "fast-check";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonPieces } from "../../src/state/json-chunks.js";
import { emptyState, openStateStore } from "../../src/state/index.js";
import type { AgentState } from "../../src/state/state-file.js";
import { systemClock } from "../../src/model/index.js";

const text = (value: unknown): string => [...jsonPieces(value, 64)].join("");

/** A state the size that made the state file's write the initial sync's peak, in small. */
function largeState(users: number): AgentState {
  const ids = Array.from({ length: users }, (_, i) => `user-${i}-é"\\`);
  return {
    ...emptyState(),
    links: { users: Object.fromEntries(ids.map((id, i) => [id, `k${i}`])), groups: { g: "kg" } },
    fingerprints: { users: Object.fromEntries(ids.map((id) => [id, `{"a":"${id}"}`])), groups: {} },
    directory: {
      format: 1,
      users: Object.fromEntries(ids.map((id, i) => [id, [id, i % 2 === 0, null, { nested: [1, "x"] }]])),
      missingUserIds: ["m1"],
      unset: undefined,
    },
    lastCycle: { id: "c", finishedAt: "2026-01-01T00:00:00.000Z", outcome: "success", counts: { created: 3 } },
  };
}

describe("the state's JSON in pieces", () => {
  it("is JSON.stringify's text, byte for byte, for a large state (objects walked entry by entry)", () => {
    const state = largeState(2_000);
    expect(text(state)).toBe(JSON.stringify(state));
    // It did walk: the pieces are many, not one string of everything.
    expect([...jsonPieces(state, 64)].length).toBeGreaterThan(500);
    // Pieces are about the size asked for: none far beyond it (one entry past the mark at most).
    expect(Math.max(...[...jsonPieces(state, 4096)].map((p) => p.length))).toBeLessThan(4096 + 200);
  });

  it("is JSON.stringify's text for any JSON-like value, undefined members and toJSON included", () => {
    const big = fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 300, maxKeys: 320 });
    const value = fc.oneof(
      fc.jsonValue(),
      fc.record({ big, small: fc.jsonValue(), gone: fc.constant(undefined), at: fc.date({ noInvalidDate: true }) }),
    );
    fc.assert(
      fc.property(value, (v) => text(v) === JSON.stringify(v)),
      { numRuns: 60 },
    );
  });

  it("the state file and its twin hold exactly that text, mode 0600", async () => {
    const dir = await mkdtemp(join(tmpdir(), "eks-chunks-"));
    const path = join(dir, "state.json");
    const state = largeState(3_000);
    const store = openStateStore(path, systemClock);
    await store.write(state);
    const written = await readFile(path, "utf8");
    expect(written).toBe(`${JSON.stringify(state)}\n`);
    expect(await readFile(`${path}.twin`, "utf8")).toBe(written);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(`${path}.twin`)).mode & 0o777).toBe(0o600);
    expect((await store.read()).status).toBe("ok");
  });
});
