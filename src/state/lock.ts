import { mkdir, open, readFile, rm, stat, utimes } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { FatalError, type Clock } from "../model/index.js";

export interface StateLock {
  release(): Promise<void>;
}

/** The holder touches its lock this often; a lock untouched for STALE_AFTER_MS is abandoned. */
const HEARTBEAT_MS = 30_000;
const STALE_AFTER_MS = 5 * 60_000;

/** Locks this process holds: a lock file naming our pid is ours only if it is in here. */
const heldHere = new Set<string>();

/**
 * One agent per state file: a lock file created exclusively beside it, kept fresh by a
 * heartbeat. A lock is taken over when its holder is gone: a dead process on this host, our own
 * pid (a container restarted as PID 1 again), or no heartbeat for five minutes (a pod replaced
 * on another host after SIGKILL). A live holder is refused.
 */
export async function lockState(statePath: string, clock: Clock): Promise<StateLock> {
  const lockPath = `${statePath}.lock`;
  if (heldHere.has(lockPath))
    throw new FatalError("STATE_LOCKED", `this process already uses the state file ${statePath}`);
  try {
    await mkdir(dirname(lockPath), { recursive: true });
  } catch (error) {
    throw new FatalError(
      "STATE_LOCK_FAILED",
      `cannot create the state directory ${dirname(lockPath)} (${codeOf(error)})`,
    );
  }
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, "wx", 0o600);
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), since: clock.now().toISOString() }));
      await handle.close();
      const released = new AbortController();
      void beat(lockPath, clock, released.signal);
      heldHere.add(lockPath);
      return {
        release: async () => {
          released.abort();
          heldHere.delete(lockPath);
          // Best effort: a lock left behind names a dead process and is taken over, whereas
          // throwing here would hide the error that ended the run (e.g. an unwritable state).
          await rm(lockPath, { force: true }).catch(() => undefined);
        },
      };
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) {
        throw new FatalError("STATE_LOCK_FAILED", `cannot create the lock ${lockPath} (${codeOf(error)})`);
      }
      const holder = await readHolder(lockPath);
      if (holder !== null && isAlive(holder) && !(await isAbandoned(lockPath, clock))) {
        throw new FatalError(
          "STATE_LOCKED",
          `another agent (pid ${holder.pid} on ${holder.host}, since ${holder.since}) is using the state file ${statePath}`,
        );
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

function codeOf(error: unknown): string {
  return error instanceof Error && "code" in error ? String(error.code) : String(error);
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

/** Touches the lock every HEARTBEAT_MS until released; a missed beat only shortens the lock's life. */
async function beat(lockPath: string, clock: Clock, released: AbortSignal): Promise<void> {
  for (;;) {
    await clock.sleep(HEARTBEAT_MS, released);
    if (released.aborted) return;
    const now = clock.now();
    await utimes(lockPath, now, now).catch(() => undefined);
  }
}

async function isAbandoned(lockPath: string, clock: Clock): Promise<boolean> {
  try {
    return clock.now().getTime() - (await stat(lockPath)).mtimeMs > STALE_AFTER_MS;
  } catch {
    return true;
  }
}

function isAlive(holder: Holder): boolean {
  // Another host's process cannot be checked from here: its heartbeat decides.
  if (holder.host !== hostname()) return true;
  // Our own pid in a lock we have not taken: a previous run of this container, restarted as the same pid.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}
