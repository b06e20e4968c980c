/**
 * Faults that strike a quiet cycle: nothing changed in Entra, so a delta cycle has nothing to
 * read or write in Klaxoon, and used to end in "No changes." whatever Klaxoon had become. Each
 * row first lets a cycle carry the pending changes through (the world is then converged and
 * the next cycle quiet), then sets the fault. A quiet cycle must still prove Klaxoon answers and
 * takes the token, and must refuse a state file that belongs to another tenant, app or Tenant URL.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { EXIT, type FaultCase } from "./fault-cases.js";
import type { FaultWorld } from "./fault-world.js";

/** The cycle that carries the pending changes through, so that the faulted one is quiet. */
async function settle(world: FaultWorld): Promise<void> {
  const run = await world.env.runAgent(["sync"]);
  if (run.code !== 0) throw new Error(`the settling cycle failed (${String(run.code)}): ${run.stderr}`);
  world.env.klaxoon.requestLog.clear();
}

const tokenFile = (world: FaultWorld): string => join(world.env.dir, "klaxoon-token");
const startAfresh = async (world: FaultWorld): Promise<void> =>
  void (await world.env.runAgent(["reset", "--forget-links"]));

/** Rewrites one end of the state file's binding, as if it had been made against another. */
async function bindStateElsewhere(
  world: FaultWorld,
  key: "graphTenantId" | "app" | "targetUrl",
  value: string,
): Promise<void> {
  const state = JSON.parse(await readFile(world.env.statePath, "utf8")) as { binding: Record<string, string> };
  state.binding[key] = value;
  await writeFile(world.env.statePath, JSON.stringify(state));
  await writeFile(`${world.env.statePath}.twin`, JSON.stringify(state));
}

const OTHER_TENANT = "99999999-9999-4999-8999-999999999999";
const nothingReachedKlaxoon = (world: FaultWorld): boolean => world.env.klaxoon.requestLog.entries.length === 0;
const klaxoonAnswered =
  (status: number) =>
  (world: FaultWorld): boolean =>
    world.env.klaxoon.requestLog.entries.some((e) => e.status === status);

/**
 * A state file bound to another end, as if made against it. The remedy is the administrator's:
 * `reset --forget-links` when the move is meant, or the config put back.
 */
function boundElsewhere(
  what: string,
  short: string,
  key: "graphTenantId" | "app" | "targetUrl",
  value: string,
  detail: RegExp,
  remedy: (w: FaultWorld) => Promise<void>,
): FaultCase {
  return {
    fault: `state file of another ${what}`,
    injectedAt: `state file, bound to another ${short}; the administrator then ${remedy === startAfresh ? "runs `reset --forget-links`" : "restores the config"}`,
    inject: async (w) => {
      await settle(w);
      await bindStateElsewhere(w, key, value);
    },
    clear: remedy,
    faultedExit: [EXIT.fatal],
    faultedMessage: new RegExp(
      `error \\[STATE_BOUND_ELSEWHERE\\]: the state file belongs to another ${what}: .*${detail.source}`,
    ),
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: nothingReachedKlaxoon,
  };
}

/** A quiet cycle (or dry run) whose Secret Token Klaxoon no longer takes. */
function revokedToken(fault: string, injectedAt: string, command: readonly string[]): FaultCase {
  return {
    fault,
    injectedAt,
    inject: async (w) => {
      await settle(w);
      await writeFile(tokenFile(w), "klx_revoked\n");
    },
    faultedCycle: (w) => w.env.runAgent(command),
    clear: (w) => writeFile(tokenFile(w), `${w.env.klaxoon.token}\n`),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[KLAXOON_UNAUTHORIZED\]: .*the Secret Token was refused/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: klaxoonAnswered(401),
  };
}

export const QUIET_CYCLE_CASES: readonly FaultCase[] = [
  revokedToken(
    "quiet cycle, Secret Token revoked",
    "Klaxoon, the token the agent sends is refused (401); nothing changed in Entra",
    ["sync"],
  ),
  revokedToken("quiet dry run, Secret Token revoked", "as above, `sync --dry-run`", ["sync", "--dry-run"]),
  {
    fault: "quiet cycle, Tenant URL on a dead port",
    injectedAt: "Klaxoon, the port refuses connections",
    inject: async (w) => {
      await settle(w);
      await w.env.klaxoon.pause();
    },
    clear: (w) => w.env.klaxoon.resume(),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[KLAXOON_UNREACHABLE\]: .*could not complete GET \/Users/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: nothingReachedKlaxoon,
  },
  {
    fault: "quiet cycle, 5xx on the probe",
    injectedAt: "Klaxoon, every `GET /Users` answers 503",
    inject: async (w) => {
      await settle(w);
      w.env.klaxoon.faults.add({ status: 503, method: "GET", path: "/Users" });
    },
    clear: (w) => w.env.klaxoon.faults.clear(),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[KLAXOON_UNREACHABLE\]: .*HTTP 503/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: klaxoonAnswered(503),
  },
  boundElsewhere(
    "Graph tenant",
    "tenant",
    "graphTenantId",
    OTHER_TENANT,
    /it was made for 99999999-.*reset --forget-links/,
    startAfresh,
  ),
  boundElsewhere("Entra app", "app", "app", `appid:${OTHER_TENANT}`, /./, (w) =>
    bindStateElsewhere(w, "app", `appid:${w.env.graph.appId}`.toLowerCase()),
  ),
  boundElsewhere(
    "Klaxoon Tenant URL",
    "Tenant URL",
    "targetUrl",
    "https://other.klaxoon.example/scim/v2",
    /it was made for https:\/\/other\.klaxoon\.example/,
    startAfresh,
  ),
  {
    fault: "mappings changed",
    injectedAt: "mappings file, the given name now an expression (same values)",
    world: { mappingsYaml: await readFile(new URL("../../config/klaxoon.mappings.yaml", import.meta.url), "utf8") },
    inject: async (w) => {
      await settle(w);
      const path = join(w.env.dir, "mappings.yaml");
      const text = await readFile(path, "utf8");
      await writeFile(path, text.replace("    direct: givenName", "    expression: '[givenName]'"));
    },
    clear: () => undefined,
    faultedExit: [EXIT.ok],
    faultedMessage: /mappings or scoping rules changed since the last cycle: this cycle re-evaluates everything/,
    noWritesWhileFaulted: true,
    maxCycles: 1,
    // A full re-evaluation lists Klaxoon whole (a quiet delta cycle sends only the probe).
    struck: (w) =>
      w.env.klaxoon.requestLog.entries.some(
        (e) => e.method === "GET" && e.path === "/Users" && !e.query.includes("filter"),
      ),
  },
];
