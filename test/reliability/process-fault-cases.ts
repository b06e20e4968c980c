/**
 * Process faults: the agent killed mid-apply, its state file broken, its state directory
 * unwritable. The state is a hint, never the source of truth: whatever happens to it, the next
 * cycles must converge without a duplicate account or a wrong deactivation.
 */
import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { AgentRun } from "../support/agent-environment.js";
import { EXIT, type FaultCase } from "./fault-cases.js";
import type { FaultWorld } from "./fault-world.js";

/** What each faulted cycle saw, for the case's `struck` check. */
const seen = new WeakMap<FaultWorld, { killedMidApply?: boolean; swappedMidApply?: boolean }>();

/** Every write answers after this long while the fault is set, so a signal or a swap lands mid-apply. */
const SLOW_WRITE_MS = 1_200;

function slowWrites(world: FaultWorld): void {
  for (const method of ["POST", "PATCH", "PUT", "DELETE"])
    world.env.klaxoon.faults.add({ method, latencyMs: SLOW_WRITE_MS });
}

const wroteSomething = (world: FaultWorld): boolean =>
  world.env.klaxoon.requestLog.entries.some((e) => e.method !== "GET" && e.status >= 200 && e.status < 300);

/** Starts `sync`, waits for the first write to land, does `midway`, then waits for the agent to end. */
async function syncWith(
  world: FaultWorld,
  midway: (child: ReturnType<FaultWorld["env"]["spawnAgent"]>) => Promise<void>,
): Promise<{ run: AgentRun; midwayDone: boolean }> {
  const child = world.env.spawnAgent(["sync"]);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  while (!done && !wroteSomething(world)) await sleep(20);
  const midwayDone = !done;
  if (midwayDone) await midway(child);
  const code = await exited;
  return { run: { code, stdout, stderr }, midwayDone };
}

function stateDir(world: FaultWorld): string {
  return dirname(world.env.statePath);
}

/** Puts a plain file where the state directory was: nothing can be created in it, even by root. */
async function blockStateDir(world: FaultWorld): Promise<void> {
  await rename(stateDir(world), `${stateDir(world)}.saved`);
  await writeFile(stateDir(world), "not a directory\n");
}

async function unblockStateDir(world: FaultWorld): Promise<void> {
  await rm(stateDir(world), { force: true });
  await rename(`${stateDir(world)}.saved`, stateDir(world));
}

async function movedAside(world: FaultWorld): Promise<boolean> {
  const names = await readdir(stateDir(world));
  return names.some((name) => name.startsWith("state.json.unusable-"));
}

/** The warning that says the state file was unusable and its twin carried the links on. */
const STATE_RECOVERED = /state file unusable: moved aside, recovered from its twin/;

export const PROCESS_CASES: readonly FaultCase[] = [
  {
    fault: "SIGKILL in the middle of applying",
    injectedAt: "agent process, killed once its first write has landed",
    inject: slowWrites,
    faultedCycle: async (world) => {
      const { run, midwayDone } = await syncWith(world, async (child) => {
        child.kill("SIGKILL");
      });
      seen.set(world, { killedMidApply: midwayDone });
      return run;
    },
    clear: (w) => w.env.klaxoon.faults.clear(),
    faultedExit: [null],
    maxCycles: 2,
    struck: (w) => seen.get(w)?.killedMidApply === true,
  },
  {
    fault: "state file truncated",
    injectedAt: "state file cut in half between cycles",
    inject: async (w) => {
      const text = await readFile(w.env.statePath, "utf8");
      await writeFile(w.env.statePath, text.slice(0, Math.floor(text.length / 2)));
    },
    clear: () => undefined,
    faultedExit: [EXIT.ok],
    faultedMessage: STATE_RECOVERED,
    maxCycles: 1,
    struck: movedAside,
  },
  {
    fault: "state file from another version",
    injectedAt: "state file rewritten as format v99",
    inject: async (w) => {
      const state = JSON.parse(await readFile(w.env.statePath, "utf8")) as Record<string, unknown>;
      await writeFile(w.env.statePath, JSON.stringify({ ...state, version: 99 }));
    },
    clear: () => undefined,
    faultedExit: [EXIT.ok],
    faultedMessage: STATE_RECOVERED,
    maxCycles: 1,
    struck: movedAside,
  },
  {
    fault: "state directory cannot be written (before the cycle)",
    injectedAt: "state directory replaced by a file",
    inject: blockStateDir,
    clear: unblockStateDir,
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[STATE_[A-Z_]+\]: .*state/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: () => true,
  },
  {
    fault: "state directory cannot be written (mid-cycle)",
    injectedAt: "state directory replaced by a file once the first write has landed",
    inject: slowWrites,
    faultedCycle: async (world) => {
      const { run, midwayDone } = await syncWith(world, () => blockStateDir(world));
      seen.set(world, { swappedMidApply: midwayDone });
      return run;
    },
    clear: async (w) => {
      w.env.klaxoon.faults.clear();
      await unblockStateDir(w);
    },
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[STATE_UNWRITABLE\]: state file .*cannot write it/,
    maxCycles: 2,
    struck: (w) => seen.get(w)?.swappedMidApply === true,
  },
];
