/**
 * The quiet check: did anything a cycle reads change since a settled cycle? A delta round each
 * for users and groups from the links that cycle (or the last quiet one) kept, the app and its
 * assignments (Graph has no delta for those: listed, and compared by digest). Nothing in the
 * rounds, the same app and the same assignments: the directory a delta read would rebuild is
 * the settled cycle's, so the cycle need not decode its checkpoint. Anything else hands what
 * it read to the delta read (DeltaReadAhead), so nothing is read twice.
 */
import { z } from "zod";
import type { QuietBasis, QuietCheck, ReadAhead } from "../../cycle/index.js";
import { type AppRoleAssignment, type ServicePrincipalInfo, shortDigest } from "../../model/index.js";
import type { GraphApi } from "../client/graph-api.js";
import type { GraphLogger } from "../client/logger.js";
import { readAssignments, readServicePrincipal } from "../read/read-app.js";
import { fulfilled } from "../read/settled.js";
import type { DirectoryState } from "./checkpoint.js";
import { readDeltaRound, type DeltaChange } from "./delta-round.js";

const QUIET_FORMAT = 1;

const quietBasisSchema = z.object({
  format: z.literal(QUIET_FORMAT),
  selectKey: z.string(),
  fullReadAt: z.iso.datetime(),
  deltaLinks: z.object({ users: z.string().min(1), groups: z.string().min(1) }),
  /** Digests: the app's roles feed the mappings, its assignments the scope. */
  servicePrincipal: z.string(),
  assignments: z.string(),
});

type QuietBasisData = z.infer<typeof quietBasisSchema>;

/** The basis of a read whose directory state is `state`; null without a listing of assignments to compare. */
export function quietBasisOf(state: DirectoryState): QuietBasis | null {
  if (state.assignments === null) return null;
  const basis: QuietBasisData = {
    format: QUIET_FORMAT,
    selectKey: state.selectKey,
    fullReadAt: state.fullReadAt,
    deltaLinks: state.deltaLinks,
    servicePrincipal: digestOfServicePrincipal(state.servicePrincipal),
    assignments: digestOfAssignments(state.assignments),
  };
  return basis;
}

/** What the quiet check read: the delta read merges it into the checkpoint instead of reading it again. */
export class DeltaReadAhead implements ReadAhead {
  readonly kind = "readAhead";
  readonly servicePrincipal: ServicePrincipalInfo;
  readonly assignments: readonly AppRoleAssignment[];
  readonly changes: { readonly users: readonly DeltaChange[]; readonly groups: readonly DeltaChange[] };
  readonly deltaLinks: { readonly users: string; readonly groups: string };

  constructor(read: Omit<DeltaReadAhead, "kind">) {
    this.servicePrincipal = read.servicePrincipal;
    this.assignments = read.assignments;
    this.changes = read.changes;
    this.deltaLinks = read.deltaLinks;
  }
}

export interface QuietCheckInput {
  readonly api: GraphApi;
  readonly app: Parameters<typeof readServicePrincipal>[1];
  readonly pageSize: number;
  readonly logger: GraphLogger;
  /** The select key the request would have now, and when the next periodic full read is due. */
  readonly selectKey: string;
  readonly fullReadDue: (fullReadAt: string) => boolean;
}

export async function checkQuiet(input: QuietCheckInput, raw: QuietBasis): Promise<QuietCheck> {
  const parsed = quietBasisSchema.safeParse(raw);
  if (!parsed.success) return changed("the quiet basis is unusable");
  const basis = parsed.data;
  if (basis.selectKey !== input.selectKey) return changed("the attribute selection, scope, app or endpoint changed");
  if (input.fullReadDue(basis.fullReadAt)) return changed("a periodic full read is due");
  const { api, logger } = input;
  const servicePrincipal = await readServicePrincipal(api, input.app);
  const [assignments, users, groups] = await Promise.allSettled([
    readAssignments(api, servicePrincipal.id, input.pageSize, logger),
    collectRound(api, basis.deltaLinks.users, logger),
    collectRound(api, basis.deltaLinks.groups, logger),
  ]);
  const [usersRound, groupsRound] = [fulfilled(users), fulfilled(groups)];
  const ahead = new DeltaReadAhead({
    servicePrincipal,
    assignments: fulfilled(assignments),
    changes: { users: usersRound.changes, groups: groupsRound.changes },
    deltaLinks: { users: usersRound.deltaLink, groups: groupsRound.deltaLink },
  });
  const why = differences(basis, ahead);
  if (why !== null) return { unchanged: false, reason: why, readAhead: ahead };
  const next: QuietBasisData = { ...basis, deltaLinks: ahead.deltaLinks };
  return { unchanged: true, basis: next };
}

function differences(basis: QuietBasisData, ahead: DeltaReadAhead): string | null {
  const { users, groups } = ahead.changes;
  if (users.length > 0 || groups.length > 0)
    return `delta rounds: ${users.length} user and ${groups.length} group changes`;
  if (digestOfServicePrincipal(ahead.servicePrincipal) !== basis.servicePrincipal)
    return "the app or its roles changed";
  if (digestOfAssignments(ahead.assignments) !== basis.assignments) return "the app's assignments changed";
  return null;
}

function changed(reason: string): QuietCheck {
  return { unchanged: false, reason, readAhead: null };
}

/** A whole round in memory: a quiet round is empty, and a busy one is merged right after. */
async function collectRound(
  api: GraphApi,
  deltaLink: string,
  logger: GraphLogger,
): Promise<{ changes: DeltaChange[]; deltaLink: string }> {
  const round = readDeltaRound(api, { deltaLink }, logger);
  const changes: DeltaChange[] = [];
  for await (const change of round.changes) changes.push(change);
  return { changes, deltaLink: round.deltaLink() };
}

/** In Graph's order: the snapshot indexes them in that order, so another order is another input. */
function digestOfAssignments(assignments: readonly AppRoleAssignment[]): string {
  return shortDigest(JSON.stringify(assignments.map((a) => [a.principalId, a.principalType, a.appRoleId])));
}

function digestOfServicePrincipal(servicePrincipal: ServicePrincipalInfo): string {
  return shortDigest(JSON.stringify(servicePrincipal));
}
