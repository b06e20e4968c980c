/**
 * Transient faults for a soak cycle, through the emulators' own fault APIs: throttling (429),
 * server errors (5xx), lost responses and resets on Klaxoon, a user whose consent is pending,
 * throttling and outages on Graph, and expired delta tokens. Each is bounded (`count`), so the
 * agent can get through, or fails a cycle that the next clean one must repair.
 */
import type { Random } from "../fixtures/random.js";
import type { GraphEmulator } from "../emulators/graph/index.js";
import type { KlaxoonEmulator } from "../emulators/klaxoon/index.js";

type Fault = (
  graph: GraphEmulator,
  klaxoon: KlaxoonEmulator,
  random: Random,
  userNames: readonly string[],
) => string | null;

const FAULTS: readonly Fault[] = [
  (_g, k, r) => {
    const status = r.pick([500, 502, 503]);
    k.faults.add({ status, fraction: 0.3, count: 4 });
    return `Klaxoon ${status} on 30% of requests (at most 4)`;
  },
  (_g, k) => {
    k.faults.add({ status: 429, fraction: 0.3, count: 4 });
    return "Klaxoon 429 on 30% of requests (at most 4)";
  },
  (_g, k, r) => {
    const method = r.pick(["POST", "PATCH"]);
    k.faults.add({ method, dropResponse: true, count: 1 });
    return `Klaxoon loses the response to one ${method}`;
  },
  (_g, k) => {
    k.faults.add({ reset: true, fraction: 0.2, count: 2 });
    return "Klaxoon resets 2 connections";
  },
  (_g, k, r, userNames) => {
    if (userNames.length === 0) return null;
    const userName = r.pick(userNames);
    k.faults.setPending(userName);
    return `Klaxoon: consent pending for ${userName}`;
  },
  (g) => {
    g.faults.add({ path: /^\/v1\.0\//, status: 429, retryAfter: 0, fraction: 0.5, count: 3 });
    return "Graph 429 on half of the requests (at most 3)";
  },
  (g, _k, r) => {
    const status = r.pick([500, 503, 504]);
    g.faults.add({ path: /^\/v1\.0\//, status, fraction: 0.3, count: 2 });
    return `Graph ${status} on 30% of requests (at most 2)`;
  },
  (g) => {
    g.admin.expireDeltaTokens();
    return "Graph delta tokens expired (410 → full read)";
  },
];

/** Injects 1–2 random faults; returns what was injected. */
export function injectRandomFaults(
  graph: GraphEmulator,
  klaxoon: KlaxoonEmulator,
  random: Random,
  userNames: readonly string[],
): string[] {
  const done: string[] = [];
  const count = 1 + random.int(2);
  for (let attempt = 0; done.length < count && attempt < 10; attempt++) {
    const description = random.pick(FAULTS)(graph, klaxoon, random, userNames);
    if (description !== null) done.push(description);
  }
  return done;
}

export function clearFaults(graph: GraphEmulator, klaxoon: KlaxoonEmulator): void {
  graph.faults.clear();
  klaxoon.faults.clear();
}
