import type { ApplyReport, OperationResult } from "../../apply/index.js";
import type { Logger } from "../../log/index.js";
import { SyncError, type FlatAttributes, type ResourceKind, type ScimValue } from "../../model/index.js";
import { attributesSet, heldOtherwise, type PlanAction } from "../../plan/index.js";
import type { TargetReader } from "../ports.js";

/**
 * Some SCIM servers answer a write with a success and do not store an attribute. An agent that
 * compares with the target then sends it again every cycle, for ever (Entra's customers end in
 * quarantine so). After applying, each attribute written is compared with what the server
 * holds: its answer to the write when that carried the resource, or else a read of the object
 * right after. A value the server does not hold is a drop: reported once, remembered in the
 * state, and not sent again while the desired value is the same (see plan/dropped-attributes.ts).
 */
export interface DroppedAttribute {
  readonly kind: ResourceKind;
  readonly action: PlanAction;
  readonly sourceId: string;
  readonly targetId: string;
  readonly label: string;
  readonly path: string;
  readonly sent: ScimValue;
  /** What the server holds instead (null: no value). */
  readonly held: ScimValue;
}

/** Only lookups by id: the read-back needs nothing else of the target reader. */
export type ReadBackReader = Pick<TargetReader, "lookUpUsers" | "lookUpGroups">;

export interface ReadBackPaths {
  readonly userPaths: readonly string[];
  readonly groupPaths: readonly string[];
}

interface Written {
  readonly result: OperationResult;
  readonly kind: ResourceKind;
  readonly sourceId: string;
  readonly targetId: string;
  /** Path → value sent (null for a removal). */
  readonly sent: FlatAttributes;
}

export async function findDroppedAttributes(
  report: ApplyReport,
  reader: ReadBackReader,
  paths: ReadBackPaths,
  log: Logger,
): Promise<DroppedAttribute[]> {
  const written = report.results.flatMap(writtenBy);
  const readBack = await readUnanswered(
    written.filter((w) => w.result.heldOtherwise === undefined),
    reader,
    paths,
    log,
  );
  const dropped: DroppedAttribute[] = [];
  for (const w of written) {
    // The answer's own difference (kept as it came, see OperationResult), or the read-back's.
    const read = readBack.get(`${w.kind}:${w.targetId}`);
    const differing = w.result.heldOtherwise ?? (read === undefined ? undefined : heldOtherwise(w.sent, read));
    if (differing === undefined) continue; // not read back (gone, unreadable, or the read failed): nothing to tell
    const {
      kind,
      sourceId,
      targetId,
      result: { operation },
    } = w;
    const object = { kind, action: operation.action, sourceId, targetId, label: operation.object.label };
    for (const [path, held] of Object.entries(differing)) {
      dropped.push({ ...object, path, sent: w.sent[path] ?? null, held });
    }
  }
  return dropped;
}

/** The attributes a successful create or PATCH set; member changes set none. */
function writtenBy(result: OperationResult): Written[] {
  const op = result.operation;
  const targetId = result.targetId ?? op.object.targetId;
  const sent = attributesSet(op);
  if (result.status !== "success" || op.object.sourceId === null || targetId === null || sent === null) return [];
  return [{ result, kind: op.kind, sourceId: op.object.sourceId, targetId, sent }];
}

/**
 * The objects whose write was answered without the resource (a 204, say), read by id. A failed
 * read is logged and leaves those writes unchecked this time: the writes themselves succeeded,
 * and the cycle must still record them.
 */
async function readUnanswered(
  written: readonly Written[],
  reader: ReadBackReader,
  paths: ReadBackPaths,
  log: Logger,
): Promise<Map<string, FlatAttributes>> {
  const held = new Map<string, FlatAttributes>();
  const ids = (kind: ResourceKind): string[] => {
    return [...new Set(written.filter((w) => w.kind === kind).map((w) => w.targetId))];
  };
  const users = ids("user");
  const groups = ids("group");
  try {
    if (users.length > 0) {
      const { found } = await reader.lookUpUsers({ ids: users, keys: [] }, paths.userPaths);
      for (const user of found) held.set(`user:${user.id}`, user.attributes);
    }
    if (groups.length > 0) {
      const { found } = await reader.lookUpGroups({ ids: groups, keys: [] }, paths.groupPaths);
      for (const group of found) held.set(`group:${group.id}`, group.attributes);
    }
  } catch (error) {
    if (!(error instanceof SyncError)) throw error;
    log.warn(
      { code: error.code, error: error.message, users: users.length, groups: groups.length },
      "could not read written objects back to check that Klaxoon stored the values: not checked this cycle",
    );
  }
  return held;
}
