import { mkdir, open, readFile, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { FatalError } from "../model/index.js";

export interface StateLock {
  release(): Promise<void>;
}

/**
 * One agent per state file: a lock file created exclusively beside it. A lock left by a process
 * that no longer runs on this host (a crash, SIGKILL) is taken over; a live one is refused.
 */
export async function lockState(statePath: string): Promise<StateLock> {
  const lockPath = `${statePath}.lock`;
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, "wx", 0o600);
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      await handle.close();
      return { release: () => rm(lockPath, { force: true }) };
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) {
        throw new FatalError("STATE_LOCK_FAILED", `cannot create the lock ${lockPath} (${error instanceof Error && "code" in error ? String(error.code) : String(error)})`);
      }
      const holder = await readHolder(lockPath);
      if (holder !== null && isAlive(holder)) {
        throw new FatalError("STATE_LOCKED", `another agent (pid ${holder.pid} on ${holder.host}, since ${holder.since}) is using the state file ${statePath}`);
      }
      await rm(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new FatalError("STATE_LOCKED", `the state file ${statePath} is locked (${lockPath})`);
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

async function readHolder(lockPath: string): Promise<Holder | null> {
  try {
    const data: unknown = JSON.parse(await readFile(lockPath, "utf8"));
    if (typeof data !== "object" || data === null) return null;
    const { pid, host, since } = data as Record<string, unknown>;
    return typeof pid === "number" && typeof host === "string" ? { pid, host, since: String(since) } : null;
  } catch {
    return null; // half-written or unreadable: treated as stale
  }
}

function isAlive(holder: Holder): boolean {
  // Another host's process cannot be checked from here: respect its lock.
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}
