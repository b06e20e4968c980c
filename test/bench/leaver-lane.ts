/**
 * The leaver fast lane at scale (issue "Beyond Entra for the operator"): the daemon (`run`) on a
 * tenant the bench has already synced, its lane every few seconds, measured from the outside:
 * Graph requests of one quiet pass, how long a pass takes, and the time from a disable in the
 * Graph emulator to `active: false` in the Klaxoon emulator.
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { GraphEmulator } from "../emulators/graph/index.js";
import type { KlaxoonEmulator } from "../emulators/klaxoon/index.js";
import { ROOT } from "./bench-world.js";

export interface LaneMeasure {
  readonly intervalSeconds: number;
  /** Graph requests of one pass with nothing to do. */
  readonly quietPassGraphRequests: number;
  readonly quietPassGraphByPath: Record<string, number>;
  /** The agent's own measure of that pass (its log line). */
  readonly quietPassMs: number;
  /** From `disableUser` in the Graph emulator to `active: false` in Klaxoon, at `intervalSeconds`. */
  readonly disableToInactiveMs: number;
}

export interface LaneWorld {
  readonly graph: GraphEmulator;
  readonly klaxoon: KlaxoonEmulator;
  readonly dir: string;
  readonly configPath: string;
  readonly env: NodeJS.ProcessEnv;
}

const MAIN = join(ROOT, "dist", "agent.mjs");

export async function measureLeaverLane(world: LaneWorld, intervalSeconds: number): Promise<LaneMeasure> {
  const config = (await readFile(world.configPath, "utf8")).replace(/^log: .*$/m, "log: { level: debug }");
  const laneConfig = join(world.dir, "lane-config.yaml");
  await writeFile(
    laneConfig,
    `${config}\ndaemon:\n  intervalMinutes: 600\n  health: { enabled: false }\n  leaverLane: { intervalMinutes: ${intervalSeconds / 60} }\n`,
  );
  const child = spawn(process.execPath, [MAIN, "run", "--config", laneConfig], {
    cwd: ROOT,
    env: world.env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const count = (pattern: RegExp): number => stderr.match(new RegExp(pattern, "g"))?.length ?? 0;
  const waitFor = async (pattern: RegExp, times: number, what: string): Promise<void> => {
    const deadline = Date.now() + 600_000;
    while (count(pattern) < times) {
      if (Date.now() > deadline)
        throw new Error(`leaver lane bench: no ${what} within 10 minutes\n${stderr.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    const quiet = /"msg":"leaver lane: no leavers"/;
    await waitFor(/"msg":"leaver lane on"/, 1, "lane start");
    await waitFor(quiet, 1, "first quiet pass");
    // One whole pass, counted alone: the log is cleared between two passes.
    world.graph.requestLog.clear();
    await waitFor(quiet, 2, "second quiet pass");
    const quietPassGraphRequests = world.graph.requestLog.graphRequests().length;
    const quietPassGraphByPath = world.graph.requestLog.countsByPath();
    const lastQuiet =
      stderr
        .split("\n")
        .filter((line) => quiet.test(line))
        .at(-1) ?? "{}";
    const quietPassMs = Number((JSON.parse(lastQuiet) as { ms?: number }).ms ?? Number.NaN);

    // An active account and its Entra user, joined by externalId (the mappings send mailNickname;
    // userName is the UPN with its diacritics normalised, and the incrementals renamed some).
    const activeByExternalId = new Map(
      [...world.klaxoon.store.users.values()]
        .filter((u) => u["active"] !== false)
        .map((u) => [String(u["externalId"]), String(u["userName"])]),
    );
    const entra = world.graph.store.listUsers().find((u) => activeByExternalId.has(String(u.mailNickname)));
    if (entra === undefined) throw new Error("leaver lane bench: no active Klaxoon account with an Entra user");
    const userName = activeByExternalId.get(String(entra.mailNickname)) ?? "";
    const started = performance.now();
    world.graph.admin.disableUser(entra.id);
    while (world.klaxoon.store.findUserByUserName(userName)?.["active"] !== false) {
      if (performance.now() - started > 600_000) throw new Error("leaver lane bench: the disabled user stayed active");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const disableToInactiveMs = performance.now() - started;
    return { intervalSeconds, quietPassGraphRequests, quietPassGraphByPath, quietPassMs, disableToInactiveMs };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}
