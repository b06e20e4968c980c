/**
 * What a cycle needs to read, stated in domain terms. graph/ and scim/ implement these;
 * tests can pass small fakes. Vendor types and vendor errors never cross this line.
 */
import type { DirectorySnapshot, TargetGroup, TargetUser } from "../model/index.js";

export type ReadScope = "assigned" | "all";

export interface SnapshotRequest {
  /** The Klaxoon enterprise app: its appId, or its service principal object id. */
  readonly app: { readonly appId: string } | { readonly servicePrincipalId: string };
  readonly scope: ReadScope;
  /** Graph attribute names the mappings and scoping filters use (`id` is always added). */
  readonly userAttributes: readonly string[];
  readonly groupAttributes: readonly string[];
}

export interface DirectoryReader {
  /** A complete read or a thrown error; never a partial snapshot. */
  readSnapshot(request: SnapshotRequest): Promise<DirectorySnapshot>;
}

export interface TargetReader {
  /**
   * Proves the server is there and takes the token, with one authenticated request; throws
   * (refused, unreachable, not SCIM) as a read does. For a cycle that would read nothing else.
   */
  probe(): Promise<void>;
  /** Every user the server holds, flattened to `paths`. */
  listUsers(paths: readonly string[]): AsyncIterable<TargetUser>;
  /** Every group the server holds, flattened to `paths`, with member ids. */
  listGroups(paths: readonly string[]): AsyncIterable<TargetGroup>;
  /** Only the users asked for (a delta cycle's changed objects); complete or a thrown error. */
  lookUpUsers(lookup: TargetLookup, paths: readonly string[]): Promise<LookedUp<TargetUser>>;
  /** Only the groups asked for, with member ids; complete or a thrown error. */
  lookUpGroups(lookup: TargetLookup, paths: readonly string[]): Promise<LookedUp<TargetGroup>>;
}

export interface LookedUp<T> {
  readonly found: T[];
  /**
   * Ids the server holds but would not show now (Klaxoon's "User confirmation pending" answers
   * every request for such a user with 409): neither found nor gone.
   */
  readonly unreadable: string[];
}

export interface TargetLookup {
  /** Klaxoon ids to read; an id the server no longer has is simply absent from the answer. */
  readonly ids: readonly string[];
  /** Matching values of objects not linked yet, each looked up as `path eq "value"`. */
  readonly keys: readonly { readonly path: string; readonly value: string }[];
}

/**
 * What an incremental reader keeps between cycles (delta links and the merged snapshot), as
 * plain JSON. The state file stores it without looking inside; the reader validates it and
 * falls back to a full read when it cannot use it.
 */
export type DirectoryCheckpoint = Readonly<Record<string, unknown>>;

export interface IncrementalReadRequest extends SnapshotRequest {
  /** The checkpoint the last applied cycle saved, or null (first cycle, lost state, restart). */
  readonly checkpoint: DirectoryCheckpoint | null;
  /** Read everything even when the checkpoint could serve (periodic full read, --full). */
  readonly forceFull: boolean;
  /**
   * The leaver lane (daemon): a delta round only, never a full read (it throws
   * LANE_NEEDS_DELTA instead), with the assignments the last read listed unless `relistAssignments`.
   */
  readonly lane?: { readonly relistAssignments: boolean } | undefined;
  /** What a quiet check read before it found a change: merged instead of read again. */
  readonly readAhead?: ReadAhead | null;
}

/**
 * What a settled cycle's read rested on, in brief (delta links and digests, no objects), as
 * plain JSON: enough for the next cycle to tell, with a delta round, that nothing in Entra
 * changed. Opaque here, like the checkpoint.
 */
export type QuietBasis = Readonly<Record<string, unknown>>;

/** What a quiet check read before it found a change. Only the reader that made it looks inside. */
export interface ReadAhead {
  readonly kind: "readAhead";
}

export type QuietCheck =
  /** Nothing changed since the basis: its delta links moved on. */
  | { readonly unchanged: true; readonly basis: QuietBasis }
  | { readonly unchanged: false; readonly reason: string; readonly readAhead: ReadAhead | null };

export interface IncrementalRead {
  readonly snapshot: DirectorySnapshot;
  /** To be saved only after the cycle that used this read has applied. */
  readonly checkpoint: DirectoryCheckpoint;
  readonly mode: "full" | "delta";
  /** Why a full read was done when a checkpoint was given (expired token, changed $select, …). */
  readonly fullReadReason: string | null;
  /** For a cycle that leaves Klaxoon settled to keep; null when the read cannot be checked quietly. */
  readonly quietBasis?: QuietBasis | null;
}

export interface IncrementalDirectoryReader {
  /** A complete read (full or delta-merged) or a thrown error; never a partial snapshot. */
  read(request: IncrementalReadRequest): Promise<IncrementalRead>;
  /**
   * Whether anything the request reads changed since `basis` (a delta round each for users and
   * groups, the app and its assignments), without the checkpoint: a settled state's next cycle
   * asks this first. Throws as read() does; never says "unchanged" unless it knows.
   */
  checkQuiet?(request: SnapshotRequest, basis: QuietBasis): Promise<QuietCheck>;
}
