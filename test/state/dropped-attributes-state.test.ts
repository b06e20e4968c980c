import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { emptyState, openStateStore } from "../../src/state/index.js";
import { systemClock } from "../../src/model/index.js";

let path: string;
const now = () => new Date("2026-01-01T00:00:00Z");
const clock = { ...systemClock, now };

beforeEach(async () => {
  path = join(await mkdtemp(join(tmpdir(), "eks-state-")), "state.json");
});

describe("the state file's record of attributes the target drops", () => {
  it("is empty in a file written before it existed", async () => {
    const { droppedAttributes: _, ...older } = emptyState();
    await writeFile(path, JSON.stringify({ ...older, links: { users: { s1: "k1" }, groups: {} } }));
    const result = await openStateStore(path, clock).read();
    expect(result.status).toBe("ok");
    expect(result.state.droppedAttributes).toEqual({ users: {}, groups: {} });
  });

  it("round-trips", async () => {
    const droppedAttributes = { users: { s1: { "name.familyName": "digest-1" } }, groups: {} };
    await openStateStore(path, clock).write({ ...emptyState(), droppedAttributes });
    expect((await openStateStore(path, clock).read()).state.droppedAttributes).toEqual(droppedAttributes);
  });

  it("a malformed record makes the file unusable, as any schema mismatch does", async () => {
    await writeFile(
      path,
      JSON.stringify({ ...emptyState(), droppedAttributes: { users: { s1: { "name.familyName": 7 } }, groups: {} } }),
    );
    expect((await openStateStore(path, clock).read()).status).toBe("unusable");
  });
});
