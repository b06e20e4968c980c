import { copyFile, mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { isString, largeRecord, SyncError, WARNING_CODES } from "../model/index.js";
import { droppedAttributesSchema } from "./dropped-attributes-schema.js";
import { jsonPieces } from "./json-chunks.js";

export const STATE_VERSION = 1;

const idMap = () => largeRecord(isString, "strings");

const stateSchema = z.object({
  version: z.literal(STATE_VERSION),
  /** Source id → Klaxoon id of every account the agent created or adopted. */
  links: z.object({ users: idMap(), groups: idMap() }),
  /**
   * Source id → fingerprint of what Klaxoon was last seen to hold for it (see
   * cycle/work/fingerprints.ts). Missing in older files: then every object counts as changed once.
   */
  fingerprints: z.object({ users: idMap(), groups: idMap() }).default({ users: {}, groups: {} }),
  /** Operations waiting for a retry (see apply/escrow.ts). */
  escrows: z
    .record(
      z.string(),
      z.object({
        fingerprint: z.string(),
        attempts: z.number().int(),
        firstFailedAt: z.string(),
        nextAttemptAt: z.string(),
        lastError: z.object({ status: z.string(), httpStatus: z.number().nullable(), message: z.string().nullable() }),
        permanent: z.boolean(),
      }),
    )
    .default({}),
  droppedAttributes: droppedAttributesSchema,
  /** The daemon's quarantine record (its own schema, checked by daemon/). */
  quarantine: z.record(z.string(), z.unknown()).nullable().default(null),
  /** The incremental reader's checkpoint: delta links and snapshot (checked by graph/). */
  directory: largeRecord((value: unknown): value is unknown => true, "anything")
    .nullable()
    .default(null),
  /** Warnings about Entra objects that stand until the object is planned again (see cycle/work/carry-warnings.ts). */
  warnings: z
    .record(
      z.string(),
      z.object({
        code: z.enum(WARNING_CODES),
        kind: z.enum(["user", "group"]),
        label: z.string(),
        message: z.string(),
        sourceId: z.string(),
        since: z.string(),
      }),
    )
    .default({}),
  /**
   * The tenant, app and Tenant URL this state belongs to, and its rules' digest (see
   * cycle/state-binding.ts). Missing in older files: the next cycle binds it.
   */
  binding: z
    .object({ graphTenantId: z.string(), app: z.string(), targetUrl: z.string(), rules: z.string() })
    .nullable()
    .default(null),
  lastCycle: z
    .object({ id: z.string(), finishedAt: z.string(), outcome: z.string(), counts: z.record(z.string(), z.number()) })
    .nullable(),
});

export type AgentState = z.infer<typeof stateSchema>;

export function emptyState(): AgentState {
  return {
    version: STATE_VERSION,
    links: { users: {}, groups: {} },
    fingerprints: { users: {}, groups: {} },
    escrows: {},
    droppedAttributes: { users: {}, groups: {} },
    quarantine: null,
    directory: null,
    warnings: {},
    binding: null,
    lastCycle: null,
  };
}

export type StateReadResult =
  | { readonly status: "ok"; readonly state: AgentState }
  | { readonly status: "missing"; readonly state: AgentState }
  | {
      readonly status: "recovered";
      readonly state: AgentState;
      readonly movedTo: string;
      readonly reason: string;
      readonly recoveredFrom: string;
    }
  | { readonly status: "unusable"; readonly state: AgentState; readonly movedTo: string; readonly reason: string };

/** Where a state file set aside goes: beside it, named for why and when (a name safe on every file system). */
export function asidePath(path: string, label: string, at: Date): string {
  return `${path}.${label}-${at.toISOString().replace(/[:.]/g, "-")}`;
}

/** The twin written after every state file: what a torn or truncated state file is recovered from. */
export function twinPath(path: string): string {
  return `${path}.twin`;
}

/**
 * Reads the state file. The state is a hint that saves work, never the source of truth, but it
 * holds the links that say which Klaxoon accounts the agent manages (only those are ever
 * deactivated): a corrupt or foreign-version file is moved aside and its twin used when that is
 * sound; with neither, the agent starts from empty.
 */
export async function readState(path: string, now: () => Date): Promise<StateReadResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT")
      return { status: "missing", state: emptyState() };
    throw new SyncError("STATE_UNREADABLE", `state file ${path}: cannot read it (${describe(error)})`, {
      cause: error,
    });
  }
  const parsed = parseState(text);
  if (parsed.ok) return { status: "ok", state: parsed.state };
  const movedTo = asidePath(path, "unusable", now());
  await rename(path, movedTo);
  const twin = await readFile(twinPath(path), "utf8").then(parseState, () => null);
  if (twin?.ok)
    return { status: "recovered", state: twin.state, movedTo, reason: parsed.reason, recoveredFrom: twinPath(path) };
  return { status: "unusable", state: emptyState(), movedTo, reason: parsed.reason };
}

function parseState(text: string): { ok: true; state: AgentState } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not valid JSON (truncated?)" };
  }
  const result = stateSchema.safeParse(data);
  if (result.success) return { ok: true, state: result.data };
  const version = typeof data === "object" && data !== null && "version" in data ? String(data.version) : "none";
  return {
    ok: false,
    reason:
      version === String(STATE_VERSION)
        ? "does not match the state schema"
        : `state format v${version}, expected v${STATE_VERSION}`,
  };
}

/**
 * Atomic replace (temp file, fsync, rename over the old one), then the same for its twin, copied
 * from the file just written. The JSON goes out in pieces (json-chunks.ts): at 100,000 users it
 * is ten megabytes, which as one string and one buffer were the initial sync's peak of memory.
 */
export async function writeState(path: string, state: AgentState): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await replaceFile(path, async (temp) => {
      const handle = await open(temp, "w", 0o600);
      try {
        for (const piece of jsonPieces(state)) await handle.write(piece, null, "utf8");
        await handle.write("\n", null, "utf8");
      } finally {
        await handle.close();
      }
    });
    // The twin is a copy of the file just written (copyFile keeps its 0600 mode).
    await replaceFile(twinPath(path), (temp) => copyFile(path, temp));
  } catch (error) {
    throw new SyncError("STATE_UNWRITABLE", `state file ${path}: cannot write it (${describe(error)})`, {
      cause: error,
    });
  }
}

/** Writes a temp file beside `path` with `fill`, syncs it to disk, then renames it over `path`. */
async function replaceFile(path: string, fill: (temp: string) => Promise<void>): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await fill(temp);
  const handle = await open(temp, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

function describe(error: unknown): string {
  return error instanceof Error && "code" in error
    ? String(error.code)
    : error instanceof Error
      ? error.message
      : String(error);
}
