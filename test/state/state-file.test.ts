import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { emptyState, openStateStore } from "../../src/state/index.js";
import type { AgentState } from "../../src/state/state-file.js";
import { systemClock } from "../../src/model/index.js";
import { createVirtualClock } from "../support/virtual-clock.js";

let dir: string;
let path: string;
const now = () => new Date("2026-01-01T00:00:00Z");
/** A fixed "now" names the files set aside; the lock runs on real time (its holder's heartbeat is the file's mtime). */
const clock = { ...systemClock, now };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "eks-state-"));
  path = join(dir, "state.json");
});

const sample = (): AgentState => ({ ...emptyState(), links: { users: { s1: "k1" }, groups: {} } });

describe("the state file", () => {
  it("round-trips, written atomically (no temp file left behind)", async () => {
    await openStateStore(path, clock).write(sample());
    expect((await openStateStore(path, clock).read()).state.links.users).toEqual({ s1: "k1" });
    expect((await readdir(dir)).sort()).toEqual(["state.json", "state.json.twin"]);
  });

  it("starts from empty when there is no file", async () => {
    expect(await openStateStore(path, clock).read()).toMatchObject({ status: "missing", state: emptyState() });
  });

  const damages = [
    ["a truncated file", (text: string) => text.slice(0, text.length / 2), "not valid JSON"],
    [
      "another format version",
      (text: string) => text.replace('"version":1', '"version":99'),
      "state format v99, expected v1",
    ],
  ] as const;

  it.each(damages)("moves %s aside and recovers the links from the twin, saying why", async (_, damage, reason) => {
    await openStateStore(path, clock).write(sample());
    await writeFile(path, damage(await readFile(path, "utf8")));
    const result = await openStateStore(path, clock).read();
    expect(result).toMatchObject({
      status: "recovered",
      reason: expect.stringContaining(reason),
      recoveredFrom: `${path}.twin`,
    });
    expect(result.state.links.users).toEqual({ s1: "k1" });
    expect((await readdir(dir)).sort()).toEqual(["state.json.twin", "state.json.unusable-2026-01-01T00-00-00-000Z"]);
  });

  it.each(damages)("with the twin damaged too, moves %s aside and starts from empty", async (_, damage, reason) => {
    await openStateStore(path, clock).write(sample());
    for (const file of [path, `${path}.twin`]) await writeFile(file, damage(await readFile(file, "utf8")));
    const result = await openStateStore(path, clock).read();
    expect(result).toMatchObject({ status: "unusable", state: emptyState(), reason: expect.stringContaining(reason) });
  });

  it("a state file deleted on purpose starts afresh, whatever its twin holds", async () => {
    await openStateStore(path, clock).write(sample());
    await rm(path);
    expect(await openStateStore(path, clock).read()).toMatchObject({ status: "missing", state: emptyState() });
  });

  it("reports a state directory that cannot be written, naming the file", async () => {
    await writeFile(join(dir, "not-a-dir"), "");
    await expect(openStateStore(join(dir, "not-a-dir", "state.json"), clock).write(sample())).rejects.toThrow(
      /state file .*not-a-dir\/state\.json: cannot write it \((ENOTDIR|EEXIST)\)/,
    );
  });
});

describe("the state lock", () => {
  it("lets one agent in and refuses a second while the first runs", async () => {
    const lock = await openStateStore(path, systemClock).lock();
    await expect(openStateStore(path, systemClock).lock()).rejects.toMatchObject({ code: "STATE_LOCKED" });
    await lock.release();
    const again = await openStateStore(path, systemClock).lock();
    await again.release();
  });

  it("takes over a lock left by a process that died", async () => {
    const child = spawn(process.execPath, ["-e", ""]);
    const pid = child.pid ?? 0;
    await new Promise((done) => child.on("close", done));
    const { hostname } = await import("node:os");
    await writeFile(`${path}.lock`, JSON.stringify({ pid, host: hostname(), since: "earlier" }));
    const lock = await openStateStore(path, systemClock).lock();
    await lock.release();
  });

  it("refuses a state directory it cannot create with a typed error (a file stands in its way, even for root)", async () => {
    const blocker = join(dir, "state");
    await writeFile(blocker, "not a directory\n");
    await expect(openStateStore(join(blocker, "state.json"), systemClock).lock()).rejects.toMatchObject({
      code: "STATE_LOCK_FAILED",
      message: expect.stringContaining(blocker),
    });
  });

  it("releases without throwing when the state directory has gone, so the error that ended the run is the one reported", async () => {
    const sub = join(dir, "sub");
    const lock = await openStateStore(join(sub, "state.json"), systemClock).lock();
    await rm(sub, { recursive: true });
    await writeFile(sub, "not a directory\n");
    await expect(lock.release()).resolves.toBeUndefined();
  });
});

describe("the state lock after a restart elsewhere", () => {
  it("respects a fresh lock from another host, and takes over one whose heartbeat stopped", async () => {
    const { utimes } = await import("node:fs/promises");
    await writeFile(`${path}.lock`, JSON.stringify({ pid: 1, host: "pod-gone-7c9f", since: "earlier" }));
    await expect(openStateStore(path, systemClock).lock()).rejects.toMatchObject({ code: "STATE_LOCKED" });
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await utimes(`${path}.lock`, longAgo, longAgo);
    const lock = await openStateStore(path, systemClock).lock();
    await lock.release();
  });

  it("beats on the clock it is given: the lock file's time is the clock's, so a virtual clock drives the heartbeat", async () => {
    const { stat } = await import("node:fs/promises");
    const virtual = createVirtualClock(new Date("2020-01-01T00:00:00Z"));
    const lock = await openStateStore(path, virtual).lock();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const touched = (await stat(`${path}.lock`)).mtime;
    await lock.release();
    expect(touched.getUTCFullYear()).toBe(2020);
    expect(touched.getTime()).toBeGreaterThanOrEqual(new Date("2020-01-01T00:00:30Z").getTime());
  });

  it("takes over a lock holding its own pid (a container restarted as the same PID 1)", async () => {
    const { hostname } = await import("node:os");
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ pid: process.pid, host: hostname(), since: "before the restart" }),
    );
    const lock = await openStateStore(path, systemClock).lock();
    await lock.release();
  });
});
