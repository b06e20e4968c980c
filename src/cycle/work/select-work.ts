import type { Logger } from "../../log/index.js";
import type { CompiledMappingSet } from "../../mapping/index.js";
import type { GuardSettings } from "../../plan/index.js";
import type { CompiledScope } from "../../scope/index.js";
import type { AgentState } from "../../state/index.js";
import type { DesiredState } from "../desired-state.js";
import type { IncrementalRead, TargetReader } from "../ports.js";
import { carriedWarnings } from "./carry-warnings.js";
import type { CycleWork } from "./cycle-work.js";
import { fingerprintDesired } from "./fingerprints.js";
import { narrowToObject } from "./on-demand.js";
import type { OnDemandRequest } from "./on-demand-types.js";
import { readTargets, type TargetListing, type TargetReadRequest } from "./read-target.js";

export interface WorkRequest {
  /** Provision this one object now and leave the rest alone; undefined for a whole cycle. */
  readonly onDemand: OnDemandRequest | undefined;
  /** How Entra was read: a delta read lets Klaxoon be read for changed objects only. */
  readonly read: Pick<IncrementalRead, "mode" | "snapshot">;
  readonly state: Pick<AgentState, "links" | "fingerprints" | "escrows" | "warnings">;
  readonly desired: DesiredState;
  readonly mappings: CompiledMappingSet;
  readonly scopes: { readonly users: CompiledScope; readonly groups: CompiledScope };
  readonly guard: GuardSettings;
  readonly reader: TargetReader;
  readonly paths: TargetReadRequest;
  /** Klaxoon listed beside the Graph read, when the cycle was known to read everything. */
  readonly listing?: Promise<TargetListing> | undefined;
}

/**
 * The work of a cycle, chosen in this one place. Fingerprints tell changed objects from the rest;
 * Klaxoon is read for those (or listed whole, on a full read or when a lookup is refused), which
 * may widen the work by the groups of joining users. On demand narrows a full reconciliation's
 * work to one object, in the same shape.
 */
export async function selectWork(request: WorkRequest, log: Logger): Promise<CycleWork> {
  const { desired, state, onDemand } = request;
  const fingerprints = fingerprintDesired(desired, state.links.users);
  const target = await readTargets(
    request.reader,
    request.paths,
    {
      work: { desired, fingerprints, stored: state.fingerprints, links: state.links },
      // On demand looks at one object against everything Klaxoon holds.
      changesOnly: request.read.mode === "delta" && !onDemand,
      listing: request.listing,
    },
    log,
  );
  const read = target.changesOnly ? "changed objects" : "everything";
  log.info({ read, users: target.users.length, groups: target.groups.length }, "read Klaxoon");
  const work: CycleWork = {
    planned: target.work,
    fingerprints,
    actual: { users: target.users, groups: target.groups },
    gone: target.gone,
    guard: request.guard,
    escrows: state.escrows,
    carriedWarnings: carriedWarnings(state.warnings, target.work, desired),
    steps: null,
    recording: "outcome",
  };
  if (!onDemand) return work;
  const {
    read: { snapshot },
    mappings,
    scopes,
  } = request;
  return narrowToObject(onDemand, work, { snapshot, desired, links: state.links, mappings, scopes });
}
