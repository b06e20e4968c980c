/**
 * The floor beside the agent, like for like: the agent's own SCIM writes, replayed by a bare
 * load generator (floor-replay.mjs) against a fresh Klaxoon emulator, at the same concurrency and
 * the same pacing, measured the same way (a child process, spawn to exit).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { runChild, startBenchWorld, type BenchWorld } from "./bench-world.js";
import { everyoneTenant } from "./tenants.js";
import type { LoggedRequest } from "../emulators/klaxoon/index.js";

export interface FloorRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  /** The id the agent's world gave the resource this POST creates. */
  readonly ref?: string;
}

export interface FloorResult {
  /** Spawn to exit, as the agent's wall time. */
  readonly wallMs: number;
  /** The requests alone, inside the process. */
  readonly sendMs: number;
  readonly requests: number;
  readonly ok: number;
  readonly failed: number;
}

/** Same pacing on both sides: a rate, or none. */
export type Pacing = number | "unlimited";

/**
 * The writes the agent's world answered with success since `from`, in phases by method and kind
 * in the order they first appear (the agent's apply phases: creates, then member changes).
 */
export function floorRequests(world: BenchWorld, from: number): FloorRequest[][] {
  const writes = world.klaxoon.requestLog.entries
    .slice(from)
    .filter((e) => e.method !== "GET" && e.status >= 200 && e.status < 300);
  const groupIdByExternalId = new Map<string, string>();
  for (const [id, group] of world.klaxoon.store.groups) groupIdByExternalId.set(String(group["externalId"]), id);
  const phases = new Map<string, FloorRequest[]>();
  for (const e of writes) {
    const key = `${e.method} ${e.path.split("/")[1] ?? ""}`;
    const phase = phases.get(key) ?? [];
    phases.set(key, phase);
    phase.push({ method: e.method, path: e.path, body: e.body, ...refOf(world, e, groupIdByExternalId) });
  }
  return [...phases.values()];
}

function refOf(world: BenchWorld, e: LoggedRequest, groups: Map<string, string>): { ref?: string } {
  if (e.method !== "POST") return {};
  const body = (e.body ?? {}) as Record<string, unknown>;
  const id =
    e.path === "/Users"
      ? world.klaxoon.store.users.withUserName(String(body["userName"]))[0]?.["id"]
      : groups.get(String(body["externalId"]));
  return typeof id === "string" ? { ref: id } : {};
}

export async function runFloor(
  phases: readonly (readonly FloorRequest[])[],
  options: { readonly dir: string; readonly concurrency: number; readonly pacing: Pacing },
): Promise<FloorResult> {
  const path = join(options.dir, "floor-requests.json");
  await writeFile(path, JSON.stringify({ phases }));
  const floor = await startBenchWorld({ tenant: everyoneTenant(1, 3, 3), requestsPerSecond: 16, concurrency: 1 });
  try {
    const started = performance.now();
    const out = await runChild(
      [
        join(import.meta.dirname, "floor-replay.mjs"),
        floor.klaxoon.url,
        floor.klaxoon.token,
        String(options.concurrency),
        path,
        String(options.pacing),
      ],
      process.env,
    );
    const wallMs = performance.now() - started;
    if (out.code !== 0) throw new Error(`the floor exited with ${String(out.code)}: ${out.stderr.slice(-2000)}`);
    const parsed = JSON.parse(out.stdout) as { ms: number; ok: number; failed: number };
    const requests = phases.reduce((n, phase) => n + phase.length, 0);
    return { wallMs, sendMs: parsed.ms, requests, ok: parsed.ok, failed: parsed.failed };
  } finally {
    await floor.close();
  }
}
