import type { Logger } from "../log/index.js";
import { isVirtualAttribute } from "../mapping/index.js";
import { FatalError } from "../model/index.js";
import type { AgentState } from "../state/index.js";
import type { IncrementalRead, ReadAhead, SnapshotRequest } from "./ports.js";
import { checkBinding } from "./state-binding.js";
import type { CycleDeps, CycleSettings } from "./types.js";

/**
 * The state, and Entra read with the checkpoint the state holds. A cycle saves a new checkpoint,
 * so the state comes back without the old one (the reader has decoded it) and its raw form, the
 * largest thing in the state file, can be collected before mapping and applying. On demand
 * saves only links and keeps the old checkpoint, so the next cycle still sees the changes.
 */
export async function readEntra(
  settings: CycleSettings,
  deps: Pick<CycleDeps, "directory">,
  loaded: LoadedState,
  log: Logger,
  readAhead: ReadAhead | null = null,
): Promise<{ state: AgentState; read: IncrementalRead; rulesChanged: boolean }> {
  const { stored, rulesChanged, forceFull } = loaded;
  const read = await deps.directory.read({
    ...snapshotRequestFor(settings),
    checkpoint: stored.directory,
    forceFull,
    lane: settings.lane,
    readAhead,
  });
  const { snapshot } = read;
  log.info(
    {
      mode: read.mode,
      fullReadReason: read.fullReadReason,
      users: snapshot.users.size,
      groups: snapshot.groups.size,
      assignments: snapshot.assignmentCount,
    },
    "read Entra",
  );
  // On demand, a reviewed plan and the leaver lane record links only: the state keeps its checkpoint.
  const keepsCheckpoint =
    settings.onDemand !== undefined || settings.reviewed !== undefined || settings.lane !== undefined;
  return { state: keepsCheckpoint ? stored : { ...stored, directory: null }, read, rulesChanged };
}

export interface LoadedState {
  readonly stored: AgentState;
  /** The mappings or scoping rules changed since the state was written. */
  readonly rulesChanged: boolean;
  readonly forceFull: boolean;
  /**
   * Entra will be read whole (no checkpoint yet, or a full read forced), so Klaxoon will be
   * listed whole whatever Entra says: the cycle may start that listing beside the Graph read.
   */
  readonly readsWhole: boolean;
}

/** The state, checked against this config before anything is read. */
export async function loadState(
  settings: CycleSettings,
  deps: Pick<CycleDeps, "state">,
  log: Logger,
): Promise<LoadedState> {
  const stored = await deps.state.read();
  const rulesChanged = boundHere(stored, settings, log);
  // A full read makes the whole cycle a full re-evaluation: every object planned, Klaxoon listed.
  // A reviewed plan is checked against both sides whole, so it reads them whole.
  const forceFull = settings.forceFullRead || rulesChanged || settings.reviewed !== undefined;
  const wholeCycle = settings.onDemand === undefined && settings.lane === undefined;
  return { stored, rulesChanged, forceFull, readsWhole: wholeCycle && (forceFull || stored.directory === null) };
}

/** Refuses a state made for another tenant, app or Tenant URL; true when only the rules changed. */
function boundHere(stored: AgentState, settings: CycleSettings, log: Logger): boolean {
  const verdict = checkBinding(stored.binding, settings.binding);
  if (verdict.kind === "elsewhere") {
    throw new FatalError(
      "STATE_BOUND_ELSEWHERE",
      `the state file belongs to another ${verdict.what}: it was made for ${verdict.stored}, ` +
        `the config now names ${verdict.current}. ` +
        `Its links and fingerprints describe that other end, so nothing was read or written. ` +
        `If the change is meant, start afresh (links, fingerprints, escrows and delta links are set aside; ` +
        `accounts are matched again by userName): ${settings.startAfreshCommand}`,
    );
  }
  if (verdict.kind === "rulesChanged") {
    log.info({}, "the mappings or scoping rules changed since the last cycle: this cycle re-evaluates everything");
  }
  return verdict.kind === "rulesChanged";
}

/** What the cycle reads of Entra: the app, the scope, the attributes its rules use. */
export function snapshotRequestFor(settings: CycleSettings): SnapshotRequest {
  const { mappings, scopes } = settings;
  return {
    app: settings.app,
    scope: settings.readScope,
    userAttributes: graphAttributes([
      ...mappings.users.sourceAttributes,
      ...scopes.users.attributes,
      "userPrincipalName",
      "accountEnabled",
    ]),
    groupAttributes: graphAttributes([
      ...mappings.groups.sourceAttributes,
      ...scopes.groups.attributes,
      "displayName",
      "securityEnabled",
    ]),
  };
}

/** What to `$select`: each name once, without the virtual attributes the mapper computes. */
function graphAttributes(names: readonly string[]): string[] {
  return [...new Set(names.filter((name) => !isVirtualAttribute(name)))];
}
