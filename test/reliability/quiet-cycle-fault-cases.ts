/**
 * Faults that strike a quiet cycle: nothing changed in Entra, so a delta cycle has nothing to
 * read or write in Klaxoon, and used to end in "No changes." whatever Klaxoon had become. Each
 * row first lets a cycle carry the pending changes through (the world is then converged and
 * the next cycle quiet), then sets the fault. A quiet cycle must still prove Klaxoon answers and
 * takes the token, and must refuse a state file that belongs to another tenant, app or Tenant URL.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AgentRun } from "../support/agent-environment.js";
import { EXIT, type FaultCase } from "./fault-cases.js";
import type { FaultWorld } from "./fault-world.js";

/** The cycle that carries the pending changes through, so that the faulted one is quiet. */
async function settle(world: FaultWorld): Promise<void> {
  const run = await world.env.runAgent(["sync"]);
  if (run.code !== 0) throw new Error(`the settling cycle failed (${String(run.code)}): ${run.stderr}`);
  world.env.klaxoon.requestLog.clear();
}

const tokenFile = (world: FaultWorld): string => join(world.env.dir, "klaxoon-token");
const startAfresh = (world: FaultWorld): Promise<AgentRun> => world.env.runAgent(["reset", "--forget-links"]);

/** Rewrites one end of the state file's binding, as if it had been made against another. */
async function bindStateElsewhere(world: FaultWorld, key: "graphTenantId" | "app" | "targetUrl", value: string): Promise<void> {
  const state = JSON.parse(await readFile(world.env.statePath, "utf8")) as { binding: Record<string, string> };
  state.binding[key] = value;
  await writeFile(world.env.statePath, JSON.stringify(state));
  await writeFile(`${world.env.statePath}.twin`, JSON.stringify(state));
}

const OTHER_TENANT = "99999999-9999-4999-8999-999999999999";
const nothingReachedKlaxoon = (world: FaultWorld): boolean => world.env.klaxoon.requestLog.entries.length === 0;
const klaxoonAnswered = (status: number) => (world: FaultWorld): boolean => world.env.klaxoon.requestLog.entries.some((e) => e.status === status);

export const QUIET_CYCLE_CASES: readonly FaultCase[] = [
  {
    fault: "quiet cycle, Secret Token revoked",
    injectedAt: "Klaxoon, the token the agent sends is refused (401); nothing changed in Entra",
    inject: async (w) => {
      await settle(w);
      await writeFile(tokenFile(w), "klx_revoked\n");
    },
    clear: (w) => writeFile(tokenFile(w), `${w.env.klaxoon.token}\n`),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[KLAXOON_UNAUTHORIZED\]: .*the Secret Token was refused/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: klaxoonAnswered(401),
  },
  {
    fault: "quiet dry run, Secret Token revoked",
    injectedAt: "as above, `sync --dry-run`",
    inject: async (w) => {
      await settle(w);
      await writeFile(tokenFile(w), "klx_revoked\n");
    },
    faultedCycle: (w) => w.env.runAgent(["sync", "--dry-run"]),
    clear: (w) => writeFile(tokenFile(w), `${w.env.klaxoon.token}\n`),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[KLAXOON_UNAUTHORIZED\]: .*the Secret Token was refused/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: klaxoonAnswered(401),
  },
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
  {
    fault: "state file of another Graph tenant",
    injectedAt: "state file, bound to another tenant; the administrator then runs `reset --forget-links`",
    inject: async (w) => {
      await settle(w);
      await bindStateElsewhere(w, "graphTenantId", OTHER_TENANT);
    },
    clear: async (w) => void (await startAfresh(w)),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[STATE_BOUND_ELSEWHERE\]: the state file belongs to another Graph tenant: it was made for 99999999-.*reset --forget-links/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: nothingReachedKlaxoon,
  },
  {
    fault: "state file of another Entra app",
    injectedAt: "state file, bound to another app; the administrator then restores the config",
    inject: async (w) => {
      await settle(w);
      await bindStateElsewhere(w, "app", `appid:${OTHER_TENANT}`);
    },
    clear: async (w) => {
      const state = JSON.parse(await readFile(w.env.statePath, "utf8")) as { binding: Record<string, string> };
      state.binding["app"] = `appid:${w.env.graph.appId}`.toLowerCase();
      await writeFile(w.env.statePath, JSON.stringify(state));
    },
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[STATE_BOUND_ELSEWHERE\]: the state file belongs to another Entra app/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: nothingReachedKlaxoon,
  },
  {
    fault: "state file of another Klaxoon Tenant URL",
    injectedAt: "state file, bound to another Tenant URL; the administrator then runs `reset --forget-links`",
    inject: async (w) => {
      await settle(w);
      await bindStateElsewhere(w, "targetUrl", "https://other.klaxoon.example/scim/v2");
    },
    clear: async (w) => void (await startAfresh(w)),
    faultedExit: [EXIT.fatal],
    faultedMessage: /error \[STATE_BOUND_ELSEWHERE\]: the state file belongs to another Klaxoon Tenant URL: it was made for https:\/\/other\.klaxoon\.example/,
    noWritesWhileFaulted: true,
    maxCycles: 2,
    struck: nothingReachedKlaxoon,
  },
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
    struck: (w) => w.env.klaxoon.requestLog.entries.some((e) => e.method === "GET" && e.path === "/Users" && !e.query.includes("filter")),
  },
];
