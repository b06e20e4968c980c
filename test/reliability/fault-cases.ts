/**
 * The fault matrix: one row per fault an identity administrator must be able to shrug off.
 * Each row says where the fault is injected, what the faulted cycle must answer (exit code and
 * message), and within how many cycles (the faulted one included) Klaxoon must hold exactly the
 * expected world. The README's "Reliability" table is this table.
 */
import { upn } from "../support/provisioning-records.js";
import type { FaultDrive } from "./converge.js";
import type { FaultWorld, HeldWorld, WorldOptions } from "./fault-world.js";

export const EXIT = { ok: 0, fatal: 3, partial: 4, guardHeld: 5 } as const;

export interface FaultCase extends FaultDrive {
  readonly fault: string;
  readonly injectedAt: string;
  readonly world?: WorldOptions;
  /** Exit codes the faulted cycle may end with (the documented ones for this fault). */
  readonly faultedExit: readonly (number | null)[];
  /** What the faulted cycle must say (stdout or stderr): the error, or the warning. */
  readonly faultedMessage?: RegExp;
  /** The faulted cycle wrote nothing to Klaxoon (a failed read must never reach the planner). */
  readonly noWritesWhileFaulted?: boolean;
  /** Most cycles, the faulted one included, until Klaxoon holds the expected world. */
  readonly maxCycles: number;
  /** The expected world when the fault's remedy itself changes it (see the 400 row). */
  readonly expected?: (base: HeldWorld) => HeldWorld;
  /** The README footnote explaining `expected`. */
  readonly footnote?: string;
}

const graphInjected = (world: FaultWorld): boolean => world.env.graph.faults.injectedCounts().some((n) => n > 0);
const klaxoonInjected = (world: FaultWorld): boolean => world.env.klaxoon.faults.injectedCounts().some((n) => n > 0);
const everyRuleStruck = (world: FaultWorld): boolean => world.env.klaxoon.faults.injectedCounts().every((n) => n > 0);
const ANY_GRAPH = /^\/v1\.0\//;

/** Graph throttling, transient errors and timeouts: absorbed within the cycle, or the cycle stops. */
export const GRAPH_THROTTLING_CASES: readonly FaultCase[] = [
  {
    fault: "429 storm with Retry-After",
    injectedAt: "Graph, 3 of the cycle's reads (seeded, Retry-After: 1)",
    inject: (w) => w.env.graph.faults.add({ path: ANY_GRAPH, status: 429, retryAfter: 1, fraction: 0.5, count: 3 }),
    clear: (w) => w.env.graph.faults.clear(),
    faultedExit: [EXIT.ok],
    maxCycles: 1,
    struck: (w) => w.env.graph.faults.injectedCounts()[0] === 3,
  },
  {
    fault: "429 storm without Retry-After",
    injectedAt: "Graph, 3 of the cycle's reads (seeded, no header: back-off)",
    inject: (w) => w.env.graph.faults.add({ path: ANY_GRAPH, status: 429, fraction: 0.5, count: 3 }),
    clear: (w) => w.env.graph.faults.clear(),
    faultedExit: [EXIT.ok],
    maxCycles: 1,
    struck: (w) => w.env.graph.faults.injectedCounts()[0] === 3,
  },
  {
    fault: "429 storm outlasting the retries",
    injectedAt: "Graph, assignment list page 2 answers 429 (Retry-After: 1) until cleared",
    inject: (w) =>
      w.env.graph.faults.add({ path: /\/appRoleAssignedTo$/, status: 429, retryAfter: 1, nth: 2, permanent: true }),
    clear: (w) => w.env.graph.faults.clear(),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[GRAPH_[A-Z_]+\]: .*appRoleAssignedTo/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: (w) => (w.env.graph.faults.injectedCounts()[0] ?? 0) > 1,
  },
  {
    fault: "503 burst",
    injectedAt: "Graph, 3 consecutive answers from the 2nd request on",
    inject: (w) => w.env.graph.faults.add({ path: ANY_GRAPH, status: 503, nth: 2, permanent: true, count: 3 }),
    clear: (w) => w.env.graph.faults.clear(),
    faultedExit: [EXIT.ok],
    maxCycles: 1,
    struck: (w) => w.env.graph.faults.injectedCounts()[0] === 3,
  },
  {
    fault: "timeout",
    injectedAt: "Graph, the 3rd request answers after 4 s (timeout 2 s)",
    inject: (w) => w.env.graph.faults.add({ path: ANY_GRAPH, latencyMs: 4_000, nth: 3 }),
    clear: (w) => w.env.graph.faults.clear(),
    faultedExit: [EXIT.ok],
    maxCycles: 1,
    struck: graphInjected,
  },
];

/** Graph answers that fail a read outright, or read as nothing: the cycle must stop or hold, never deactivate from them. */
export const GRAPH_READ_CASES: readonly FaultCase[] = [
  {
    fault: "failure midway through paging",
    injectedAt: "Graph, assignment list page 2 answers 503 for good",
    inject: (w) => w.env.graph.faults.add({ path: /\/appRoleAssignedTo$/, status: 503, nth: 2, permanent: true }),
    clear: (w) => w.env.graph.faults.clear(),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[GRAPH_[A-Z_]+\]: .*appRoleAssignedTo/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: graphInjected,
  },
  {
    fault: "empty assignment list",
    injectedAt: "Graph, the assignment list answers 200 with no items",
    inject: (w) => w.env.graph.faults.add({ path: /\/appRoleAssignedTo$/, emptyList: true }),
    clear: (w) => w.env.graph.faults.clear(),
    faultedExit: [EXIT.guardHeld],
    faultedMessage: /no in-scope users/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: graphInjected,
  },
  {
    fault: "expired delta token",
    injectedAt: "Graph, every delta token answers 410",
    inject: (w) => w.env.graph.admin.expireDeltaTokens(),
    clear: () => undefined,
    faultedExit: [EXIT.ok],
    maxCycles: 1,
    struck: (w) => w.env.graph.requestLog.entries.some((e) => e.status === 410),
  },
  {
    fault: "token endpoint refuses the credential",
    injectedAt: "Entra token endpoint, client secret revoked",
    inject: (w) => w.env.graph.admin.revokeSecrets(w.env.graph.clientId),
    clear: (w) => w.env.graph.admin.addSecret(w.env.graph.clientId, w.env.graph.clientSecret),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[GRAPH_[A-Z_]+\]: .*AADSTS7000215/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: (w) =>
      w.env.graph.requestLog.entries.some((e) => e.path.endsWith("/oauth2/v2.0/token") && e.status === 401),
  },
];

/** Klaxoon throttling, transient errors, lost connections and slowness. */
export const KLAXOON_TRANSPORT_CASES: readonly FaultCase[] = [
  {
    fault: "429 without Retry-After",
    injectedAt: "Klaxoon, the first 4 writes' answers",
    inject: (w) => w.env.klaxoon.faults.add({ status: 429, skip: w.readsBeforeFirstWrite, count: 4 }),
    clear: (w) => w.env.klaxoon.faults.clear(),
    faultedExit: [EXIT.ok],
    maxCycles: 1,
    struck: klaxoonInjected,
  },
  {
    fault: "5xx burst",
    injectedAt: "Klaxoon, 502 on 2 PATCHes, 503 on 3 of the later requests (seeded)",
    inject: (w) => {
      w.env.klaxoon.faults.add({ status: 502, method: "PATCH", count: 2 });
      w.env.klaxoon.faults.add({ status: 503, fraction: 0.5, skip: w.readsBeforeFirstWrite, count: 3 });
    },
    clear: (w) => w.env.klaxoon.faults.clear(),
    faultedExit: [EXIT.ok],
    maxCycles: 1,
    struck: klaxoonInjected,
  },
  {
    fault: "connection reset mid-request",
    injectedAt: "Klaxoon, 2 sockets reset before the answer, 1 create done but its answer lost",
    inject: (w) => {
      w.env.klaxoon.faults.add({ reset: true, skip: w.readsBeforeFirstWrite, count: 2 });
      w.env.klaxoon.faults.add({ dropResponse: true, method: "POST", path: "/Users", count: 1 });
    },
    clear: (w) => w.env.klaxoon.faults.clear(),
    faultedExit: [EXIT.ok],
    maxCycles: 1,
    struck: everyRuleStruck,
  },
  {
    fault: "response slower than the timeout",
    injectedAt: "Klaxoon, 2 writes answer after 4.5 s (timeout 2 s)",
    inject: (w) => w.env.klaxoon.faults.add({ method: "PATCH", latencyMs: 4_500, count: 2 }),
    clear: (w) => w.env.klaxoon.faults.clear(),
    faultedExit: [EXIT.ok, EXIT.partial],
    maxCycles: 2,
    struck: everyRuleStruck,
  },
];

/** Klaxoon answers that are refusals or garbage, not slowness. */
export const KLAXOON_ANSWER_CASES: readonly FaultCase[] = [
  {
    fault: "409 User confirmation pending",
    injectedAt: "Klaxoon, every request about member05",
    inject: (w) => w.env.klaxoon.faults.setPending(upn(5)),
    clear: (w) => w.env.klaxoon.faults.clear(),
    faultedExit: [EXIT.partial],
    faultedMessage: /"status":"pending"/,
    maxCycles: 2,
    struck: (w) => w.env.klaxoon.requestLog.entries.some((e) => e.status === 409),
  },
  {
    fault: "400 on some users",
    injectedAt: "Klaxoon, member05's update refused as invalid; the admin then corrects it in Entra",
    inject: (w) => w.env.klaxoon.faults.add({ status: 400, method: "PATCH", path: klaxoonUserPath(w, 5) }),
    clear: (w) => {
      w.env.klaxoon.faults.clear();
      // A 400 is not retried while the same change is planned: the administrator corrects the data.
      w.env.graph.admin.updateUser(w.userId(5), { givenName: CORRECTED_GIVEN_NAME });
    },
    faultedExit: [EXIT.partial],
    faultedMessage: /"status":"invalid"/,
    maxCycles: 2,
    struck: klaxoonInjected,
    expected: (base) => ({ ...base, givenName5: CORRECTED_GIVEN_NAME }),
    footnote: "¹",
  },
  {
    fault: "token revoked mid-cycle (401)",
    injectedAt: "Klaxoon, every PATCH, while the cycle's creates land",
    // By method, not by request count: a delta cycle reads fewer (and other) objects than the baseline.
    inject: (w) => w.env.klaxoon.faults.add({ status: 401, method: "PATCH" }),
    clear: (w) => w.env.klaxoon.faults.clear(),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[KLAXOON_UNAUTHORIZED\]: .*check klaxoon\.secretToken/,
    maxCycles: 2,
    struck: (w) =>
      klaxoonInjected(w) && w.env.klaxoon.requestLog.count((e) => e.method !== "GET" && e.status < 300) > 0,
  },
  {
    fault: "malformed JSON",
    injectedAt: "Klaxoon, the user list answers 200 with cut-off JSON",
    inject: (w) => w.env.klaxoon.faults.add({ malformedJson: true, method: "GET", path: "/Users", count: 1 }),
    clear: (w) => w.env.klaxoon.faults.clear(),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[KLAXOON_[A-Z_]+\]/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: klaxoonInjected,
  },
  {
    fault: "response far larger than any legitimate one",
    injectedAt: "Klaxoon, the user list answers 70 MB",
    inject: (w) =>
      w.env.klaxoon.faults.add({ oversizeBytes: 70 * 1024 * 1024, method: "GET", path: "/Users", count: 1 }),
    clear: (w) => w.env.klaxoon.faults.clear(),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[KLAXOON_UNEXPECTED_RESPONSE\]: .*larger than the allowed maximum/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: klaxoonInjected,
  },
];

export const GRAPH_CASES: readonly FaultCase[] = [...GRAPH_THROTTLING_CASES, ...GRAPH_READ_CASES];
export const KLAXOON_CASES: readonly FaultCase[] = [...KLAXOON_TRANSPORT_CASES, ...KLAXOON_ANSWER_CASES];

const CORRECTED_GIVEN_NAME = "Corrected5";

function klaxoonUserPath(world: FaultWorld, n: number): string {
  const id = world.env.klaxoon.store.findUserByUserName(upn(n))?.["id"];
  if (typeof id !== "string") throw new Error(`member ${n} is not in Klaxoon`);
  return `/Users/${id}`;
}
