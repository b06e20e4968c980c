/**
 * The quiet record, beside the state file: written by a cycle that left Klaxoon settled (its
 * next cycle would plan nothing if Entra stayed as it was), with what that next cycle's plan
 * would say; and updated by each quiet cycle after it, which only moves its delta links on.
 * A quiet cycle reads this small file instead of the state (ten megabytes at 100,000 users).
 *
 * It extends one state file as written: it names that file's inode, size and modification
 * time, and counts for nothing once the state file is any other (rewritten by a cycle, the
 * daemon or a reset, recovered from its twin, restored from a backup). Ignoring it is always
 * safe: the state's own checkpoint is older, and a delta round from an older link sees the
 * same changes and more.
 */
import { open, readFile, rename, stat, unlink } from "node:fs/promises";
import { z } from "zod";
import { WARNING_CODES } from "../model/index.js";

const QUIET_FILE_FORMAT = 1;

const quietRecordSchema = z.object({
  /** The ends and rules the settled cycle worked for (the state's binding then). */
  binding: z.object({ graphTenantId: z.string(), app: z.string(), targetUrl: z.string(), rules: z.string() }),
  /** The directory reader's quiet basis (delta links and digests; checked by graph/). */
  directory: z.record(z.string(), z.unknown()),
  /** The plan a cycle makes while nothing changes: no operations, these warnings, this guard verdict. */
  plan: z.object({
    warnings: z.array(
      z.object({
        code: z.enum(WARNING_CODES),
        kind: z.enum(["user", "group"]),
        label: z.string(),
        message: z.string(),
        sourceId: z.string().optional(),
        since: z.string().optional(),
      }),
    ),
    guard: z.object({ held: z.literal(false), deactivations: z.literal(0), reason: z.null() }),
    counts: z.record(z.string(), z.number()),
  }),
  /** The cycle that settled it, and the last cycle since (quiet or not). */
  settledBy: z.string(),
  lastCycle: z.object({
    id: z.string(),
    finishedAt: z.string(),
    outcome: z.string(),
    counts: z.record(z.string(), z.number()),
  }),
});

export type QuietRecord = z.infer<typeof quietRecordSchema>;

const stateFileSchema = z.object({ ino: z.string(), size: z.string(), mtimeNs: z.string() });

const quietFileSchema = z.object({
  format: z.literal(QUIET_FILE_FORMAT),
  stateFile: stateFileSchema,
  record: quietRecordSchema,
});

export type StateFileIdentity = z.infer<typeof stateFileSchema>;

export function quietPath(statePath: string): string {
  return `${statePath}.quiet`;
}

/** The quiet record of the state file as it is now, or null (none, unreadable, or another state file's). */
export async function readQuiet(
  statePath: string,
): Promise<{ readonly record: QuietRecord; readonly stateFile: StateFileIdentity } | null> {
  const [identity, text] = await Promise.all([
    identityOf(statePath),
    readFile(quietPath(statePath), "utf8").catch(() => null),
  ]);
  if (identity === null || text === null) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = quietFileSchema.safeParse(data);
  if (!parsed.success || !sameFile(parsed.data.stateFile, identity)) return null;
  return { record: parsed.data.record, stateFile: identity };
}

/**
 * Writes the record (atomically: temp file, fsync, rename) for the state file `describes`, the
 * one it was made from, if that is still the state file: one replaced meanwhile gets none.
 */
export async function writeQuiet(statePath: string, record: QuietRecord, describes: StateFileIdentity): Promise<void> {
  const identity = await identityOf(statePath);
  if (identity === null || !sameFile(identity, describes)) return;
  const path = quietPath(statePath);
  const temp = `${path}.tmp-${process.pid}`;
  const handle = await open(temp, "w", 0o600);
  try {
    await handle.write(`${JSON.stringify({ format: QUIET_FILE_FORMAT, stateFile: identity, record })}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

/**
 * No quiet record: the state file's next reader reads it whole. A record that cannot be removed
 * still names the state file it extended, which is gone, so it counts for nothing anyway.
 */
export async function removeQuiet(statePath: string): Promise<void> {
  await unlink(quietPath(statePath)).catch(() => undefined);
}

export async function identityOf(path: string): Promise<StateFileIdentity | null> {
  const info = await stat(path, { bigint: true }).catch(() => null);
  if (info === null) return null;
  return { ino: String(info.ino), size: String(info.size), mtimeNs: String(info.mtimeNs) };
}

function sameFile(a: StateFileIdentity, b: StateFileIdentity): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}
