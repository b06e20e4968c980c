/**
 * One fault case, driven as an administrator would live it: the fault is set, a cycle runs into
 * it, the fault passes, and up to two more cycles run until Klaxoon holds exactly the expected
 * world (and the agent says so with exit 0).
 */
import { isDeepStrictEqual } from "node:util";
import type { AgentRun } from "../support/agent-environment.js";
import { heldWorld, type FaultWorld, type HeldWorld } from "./fault-world.js";

export interface FaultDrive {
  /** Sets the fault (emulator rules, a broken state file…) just before the faulted cycle. */
  readonly inject: (world: FaultWorld) => void | Promise<void>;
  /** Runs the faulted cycle (default `sync`). */
  readonly faultedCycle?: (world: FaultWorld) => Promise<AgentRun>;
  /** Takes the fault away. */
  readonly clear: (world: FaultWorld) => void | Promise<void>;
  /** Proof the fault really struck, checked right after the faulted cycle (before `clear`). */
  readonly struck: (world: FaultWorld) => boolean | Promise<boolean>;
}

export interface Convergence {
  readonly faulted: AgentRun;
  /** Whether the fault really struck during the faulted cycle (the case's own proof). */
  readonly struck: boolean;
  /** Writes Klaxoon received during the faulted cycle. */
  readonly writesWhileFaulted: number;
  readonly later: readonly AgentRun[];
  /** Cycles run until Klaxoon held the expected world, the faulted one included; null if it never did. */
  readonly cycles: number | null;
}

/** Cycles allowed after the fault is cleared. */
export const LATER_CYCLES = 2;

export async function driveFault(world: FaultWorld, drive: FaultDrive, expected: HeldWorld): Promise<Convergence> {
  world.env.klaxoon.requestLog.clear();
  await drive.inject(world);
  const faulted = await (drive.faultedCycle ?? ((w) => w.env.runAgent(["sync"])))(world);
  const struck = await drive.struck(world);
  const writesWhileFaulted = world.env.klaxoon.requestLog.count((e) => e.method !== "GET");
  await drive.clear(world);
  const outcome = { faulted, struck, writesWhileFaulted };
  if (converged(world, faulted, expected)) return { ...outcome, later: [], cycles: 1 };
  const later: AgentRun[] = [];
  for (let i = 0; i < LATER_CYCLES; i += 1) {
    const run = await world.env.runAgent(["sync"]);
    later.push(run);
    if (converged(world, run, expected)) return { ...outcome, later, cycles: 2 + i };
  }
  return { ...outcome, later, cycles: null };
}

function converged(world: FaultWorld, run: AgentRun, expected: HeldWorld): boolean {
  return run.code === 0 && isDeepStrictEqual(heldWorld(world.env), expected);
}
