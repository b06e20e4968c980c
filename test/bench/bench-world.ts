/**
 * One benchmark world: the Graph emulator and the Klaxoon emulator on loopback, in this process,
 * and a config of our own (the e2e harness writes `klaxoon:` itself, and the bench needs its
 * rate and concurrency keys). The agent is the built CLI (the bundle, `dist/agent.mjs`) in a child
 * process, run as a user runs it, with a preload that reports its peak RSS. A profiled run uses the
 * unbundled build (`dist/src/main/bin.js`, the same code) so that samples name their module.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type { TenantData } from "../fixtures/tenant.js";
import { agentConfigYaml } from "../support/agent-config-yaml.js";
import { startGraphEmulator, type GraphEmulator } from "../emulators/graph/index.js";
import { startKlaxoonEmulator, type KlaxoonEmulator, type RateLimit } from "../emulators/klaxoon/index.js";

export const ROOT = resolve(import.meta.dirname, "../..");
const MAIN = join(ROOT, "dist", "agent.mjs");
const MAIN_UNBUNDLED = join(ROOT, "dist", "src", "main", "bin.js");
const PRELOAD = join(import.meta.dirname, "rss-preload.mjs");

export interface WorldOptions {
  readonly tenant: TenantData;
  /** The agent's `klaxoon.requestsPerSecond`: at most 1000, or "unlimited" (no pacing). */
  readonly requestsPerSecond: number | "unlimited";
  readonly concurrency: number;
  /** The emulator's enforced limit, if any. */
  readonly rateLimit?: RateLimit;
}

export interface CycleResult {
  readonly code: number | null;
  readonly wallMs: number;
  readonly peakRssMb: number | null;
  readonly scimRequests: number;
  readonly scimWrites: number;
  readonly scimWritesByKind: Record<string, number>;
  /** Distinct resources (paths) written; a resource written twice in one cycle shows here. */
  readonly scimResourcesWritten: number;
  /** Paths written, kept when there are few (for diagnosis in the JSON). */
  readonly scimWritePaths: readonly string[] | null;
  /** Bodies of the writes to a resource written more than once in this cycle (first 10 resources). */
  readonly scimRepeatedWrites: Record<string, unknown[]>;
  readonly scim429: number;
  readonly graphRequests: number;
  readonly graphByPath: Record<string, number>;
  readonly stdoutTail: string;
  readonly stderrTail: string;
  /** Where the wall time went, in ms from spawn, by the Klaxoon emulator's arrival times. */
  readonly timeline: Timeline | null;
}

export interface Timeline {
  readonly firstScimMs: number;
  readonly firstWriteMs: number;
  readonly lastWriteMs: number;
  readonly exitMs: number;
}

export interface BenchWorld {
  readonly graph: GraphEmulator;
  readonly klaxoon: KlaxoonEmulator;
  readonly dir: string;
  /** The agent's config and environment, for runs other than `sync` (the leaver lane's daemon). */
  readonly configPath: string;
  readonly env: NodeJS.ProcessEnv;
  runSync(options?: {
    readonly cpuProfileDir?: string;
    readonly extraArgs?: readonly string[];
    /** Node options for this run (a V8 setting tried before it becomes the image's). */
    readonly nodeArgs?: readonly string[];
  }): Promise<CycleResult>;
  close(): Promise<void>;
}

export async function startBenchWorld(options: WorldOptions): Promise<BenchWorld> {
  const graph = await startGraphEmulator({ tenant: options.tenant, checkTrust: false });
  const klaxoon = await startKlaxoonEmulator(options.rateLimit ? { rateLimit: options.rateLimit } : {});
  const dir = await mkdtemp(join(tmpdir(), "eks-bench-"));
  await writeFile(join(dir, "klaxoon-token"), `${klaxoon.token}\n`, { mode: 0o600 });
  const configPath = join(dir, "config.yaml");
  await writeFile(
    configPath,
    agentConfigYaml({
      graph,
      tenantUrl: klaxoon.url,
      mappingsPath: join(ROOT, "config", "klaxoon.mappings.yaml"),
      statePath: join(dir, "state", "state.json"),
      klaxoonLines: [`  requestsPerSecond: ${options.requestsPerSecond}`, `  concurrency: ${options.concurrency}`],
      // The bench measures throughput; the guard's hold is behaviour the e2e tests cover.
      extra: "deletionGuard: { maxDeactivations: 1000000 }\nlog: { level: warn }",
    }),
  );
  const env = { ...process.env, GRAPH_CLIENT_SECRET: graph.clientSecret, NODE_EXTRA_CA_CERTS: graph.caCertPath };
  let run = 0;

  return {
    graph,
    klaxoon,
    dir,
    configPath,
    env,
    async runSync(runOptions = {}) {
      run += 1;
      const rssFile = join(dir, `rss-${run}`);
      const scimBefore = klaxoon.requestLog.entries.length;
      graph.requestLog.clear();
      const nodeArgs = [...(runOptions.nodeArgs ?? []), "--import", PRELOAD];
      if (runOptions.cpuProfileDir) nodeArgs.push("--cpu-prof", "--cpu-prof-dir", runOptions.cpuProfileDir);
      const args = [
        ...nodeArgs,
        runOptions.cpuProfileDir ? MAIN_UNBUNDLED : MAIN,
        "sync",
        ...(runOptions.extraArgs ?? []),
        "--config",
        configPath,
      ];
      const started = performance.now();
      const { code, stdout, stderr } = await runChild(args, { ...env, BENCH_RSS_FILE: rssFile });
      const wallMs = performance.now() - started;
      const origin = performance.timeOrigin + started;
      const rssKb = await readFile(rssFile, "utf8").then(Number, () => null);
      const scim = klaxoon.requestLog.entries.slice(scimBefore);
      const writes = scim.filter((e) => e.method !== "GET");
      const scimWritesByKind: Record<string, number> = {};
      for (const e of writes) {
        const key = `${e.method} ${e.path.replace(/^\/(Users|Groups)\/.+$/, "/$1/{id}")}`;
        scimWritesByKind[key] = (scimWritesByKind[key] ?? 0) + 1;
      }
      const graphByPath = graph.requestLog.countsByPath();
      return {
        code,
        wallMs,
        peakRssMb: rssKb === null ? null : rssKb / 1024,
        scimRequests: scim.length,
        scimWrites: writes.length,
        scimWritesByKind,
        scimResourcesWritten: new Set(
          writes.map((e) => `${e.method === "POST" ? `POST#${writes.indexOf(e)}` : e.path}`),
        ).size,
        scimRepeatedWrites: repeatedWrites(writes),
        scimWritePaths: writes.length <= 5000 ? writes.map((e) => `${e.method} ${e.path}`) : null,
        scim429: scim.filter((e) => e.status === 429).length,
        graphRequests: graph.requestLog.graphRequests().length,
        graphByPath,
        stdoutTail: stdout.slice(-2000),
        stderrTail: stderr.slice(-4000),
        timeline:
          scim.length === 0 || writes.length === 0
            ? null
            : {
                firstScimMs: (scim[0]?.at ?? 0) - origin,
                firstWriteMs: (writes[0]?.at ?? 0) - origin,
                lastWriteMs: (writes.at(-1)?.at ?? 0) - origin,
                exitMs: wallMs,
              },
      };
    },
    async close() {
      await Promise.all([graph.close(), klaxoon.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function runChild(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

function repeatedWrites(writes: readonly { method: string; path: string; body: unknown }[]): Record<string, unknown[]> {
  const byPath = new Map<string, unknown[]>();
  for (const e of writes) {
    if (e.method === "POST") continue;
    const list = byPath.get(e.path) ?? [];
    list.push(e.body);
    byPath.set(e.path, list);
  }
  return Object.fromEntries([...byPath].filter(([, bodies]) => bodies.length > 1).slice(0, 10));
}
