/**
 * Diagnosis for the memory and no-op rows (not part of `npm run bench`, asserts nothing): the
 * large tenant's cycles one by one (initial, no-ops, incrementals, a full read), each with its
 * peak RSS, heap and external memory, wall time and state file size. PROBE_HEAP=<run label>
 * (`initial`, `noop`, `incremental`, `full`) takes a sampling heap profile of that run near its
 * peak and prints where the live memory was allocated; PROBE_CPU=<label> a CPU profile.
 * `npx tsx test/bench/memory-probe.ts` after `npm run build`. Scale: PROBE_USERS, PROBE_NOOPS,
 * PROBE_INCREMENTALS. PROBE_EMULATOR_CPU=<label>: a CPU profile of this process (both
 * emulators) while that run's agent runs, to tell the agent's waits from the emulators' work.
 * PROBE_NODE_ARGS: node options for the agent's runs (e.g. `--max-semi-space-size=4`), to try a
 * V8 setting before making it the image's. PROBE_LOG=1: each run's log messages, milliseconds
 * after the run's first, and its SCIM requests per 100 ms.
 */
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Session } from "node:inspector/promises";
import { performance } from "node:perf_hooks";
import { ROOT, runChild, startBenchWorld } from "./bench-world.js";
import { summariseHeapProfile } from "./heap-profile-summary.js";
import { summariseProfile } from "./profile-summary.js";
import { ChangeMaker, largeTenant } from "./tenants.js";

const num = (name: string, fallback: number): number => Number(process.env[name] || fallback);
const USERS = num("PROBE_USERS", 100_000);
const NOOPS = num("PROBE_NOOPS", 3);
const INCREMENTALS = num("PROBE_INCREMENTALS", 1);
const labels = (name: string): ReadonlySet<string> => new Set((process.env[name] ?? "").split(",").filter(Boolean));
const HEAP = labels("PROBE_HEAP");
const CPU = labels("PROBE_CPU");
const EMULATOR_CPU = labels("PROBE_EMULATOR_CPU");
const NODE_ARGS = (process.env["PROBE_NODE_ARGS"] ?? "").split(/\s+/).filter(Boolean);
const profiledOnce = new Set<string>();
const OUT = join(ROOT, "bench-results", "memory-probe");
const PRELOAD = join(import.meta.dirname, "memory-preload.mjs");
const RSS_PRELOAD = join(import.meta.dirname, "rss-preload.mjs");

/**
 * PROBE_CONTROL=<file>: after the cycles above, run one cycle per line appended to it once the
 * probe has started ("noop cpu", "incremental heap", "full emulators", "quit").
 */
const CONTROL = process.env["PROBE_CONTROL"] ?? "";

async function serve(file: string): Promise<void> {
  await writeFile(file, "");
  let done = 0;
  for (;;) {
    const lines = (await readFile(file, "utf8")).split("\n").filter(Boolean);
    for (const line of lines.slice(done)) {
      done += 1;
      const [label = "noop", ...flags] = line.trim().split(/\s+/);
      if (label === "quit") return;
      if (label === "incremental") changer.apply(world.graph.admin, Math.round(USERS / 100));
      await cycle(label, label === "full" ? ["--full-read"] : [], flags);
      process.stdout.write("ready\n");
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

await mkdir(OUT, { recursive: true });
const tenant = largeTenant(3, USERS, Math.round(USERS / 100));
const changer = new ChangeMaker(tenant);
const world = await startBenchWorld({ tenant, requestsPerSecond: 1000, concurrency: 8 });
const env = {
  ...process.env,
  GRAPH_CLIENT_SECRET: world.graph.clientSecret,
  NODE_EXTRA_CA_CERTS: world.graph.caCertPath,
};
const config = join(world.dir, "config.yaml");
const statePath = join(world.dir, "state", "state.json");
if (process.env["PROBE_LOG"])
  await writeFile(config, (await readFile(config, "utf8")).replace("log: { level: warn }", "log: { level: info }"));
let n = 0;

async function cycle(label: string, extra: readonly string[] = [], profile: readonly string[] = []): Promise<void> {
  n += 1;
  const memFile = join(OUT, `mem-${n}-${label}.json`);
  const heapFile = join(OUT, `heap-${n}-${label}.json`);
  const cpuDir = join(OUT, `cpu-${n}-${label}`);
  // Each label is profiled once, at its first run.
  const heap = profile.includes("heap") || (HEAP.has(label) && !profiledOnce.has(label));
  const cpu = profile.includes("cpu") || (CPU.has(label) && !profiledOnce.has(label));
  const profiled = heap || cpu;
  if (profiled) profiledOnce.add(label);
  const nodeArgs = [...NODE_ARGS, "--import", RSS_PRELOAD, "--import", PRELOAD];
  if (cpu) nodeArgs.push("--cpu-prof", "--cpu-prof-dir", cpuDir);
  const main = profiled ? join(ROOT, "dist", "src", "main", "bin.js") : join(ROOT, "dist", "agent.mjs");
  const scimBefore = world.klaxoon.requestLog.entries.length;
  const emulators = EMULATOR_CPU.has(label) || profile.includes("emulators") ? await profileEmulators() : null;
  const started = performance.now();
  const out = await runChild([...nodeArgs, main, "sync", ...extra, "--config", config], {
    ...env,
    BENCH_MEM_FILE: memFile,
    ...(heap ? { BENCH_HEAP_PROFILE_FILE: heapFile } : {}),
  });
  const wall = (performance.now() - started) / 1000;
  if (emulators) await emulators.stop(join(OUT, `emulators-${n}-${label}.cpuprofile`));
  const scim = world.klaxoon.requestLog.entries.slice(scimBefore);
  const mem = JSON.parse(await readFile(memFile, "utf8")) as {
    peak: Record<string, number>;
    maxRssKb: number;
  };
  const size = await stat(statePath).then(
    (s) => s.size,
    () => 0,
  );
  const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
  process.stdout.write(
    `${label}${profiled ? " (profiled)" : ""}: exit ${out.code}, ${wall.toFixed(2)} s, SCIM ${scim.length} (writes ${scim.filter((e) => e.method !== "GET").length}), peak RSS ${(mem.maxRssKb / 1024).toFixed(0)} MB, heapUsed ${mb(mem.peak["heapUsed"]!)} MB, heapTotal ${mb(mem.peak["heapTotal"]!)} MB, external ${mb(mem.peak["external"]!)} MB, arrayBuffers ${mb(mem.peak["arrayBuffers"]!)} MB, state ${(size / 1024 / 1024).toFixed(1)} MB\n`,
  );
  if (process.env["PROBE_LOG"]) process.stdout.write(logTimeline(out.stderr) + arrivals(scim));
  if (out.code !== 0 && out.code !== 4)
    process.stdout.write(`${out.stdout.slice(-2000)}\n${out.stderr.slice(-3000)}\n`);
  if (heap) {
    const summary = await summariseHeapProfile(heapFile);
    process.stdout.write(`${summary}\n`);
  }
  if (cpu) {
    const file = (await readdir(cpuDir)).find((f) => f.endsWith(".cpuprofile"));
    if (file) {
      const p = await summariseProfile(join(cpuDir, file), 25);
      process.stdout.write(`CPU ${p.totalMs.toFixed(0)} ms\n`);
      for (const m of p.byModule.slice(0, 20)) process.stdout.write(`  ${m.module}: ${m.ms.toFixed(0)} ms\n`);
      for (const f of p.topSelf) process.stdout.write(`  ${f.name}: ${f.ms.toFixed(0)} ms\n`);
    }
  }
}

/** Profiles this process (the emulators) until stop(file), then prints where its time went. */
async function profileEmulators(): Promise<{ stop: (file: string) => Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop(file) {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      await writeFile(file, JSON.stringify(profile));
      const p = await summariseProfile(file, 20);
      process.stdout.write(`emulators' CPU ${p.totalMs.toFixed(0)} ms\n`);
      for (const f of p.topSelf) process.stdout.write(`  ${f.name}: ${f.ms.toFixed(0)} ms\n`);
    },
  };
}

/** SCIM requests by arrival, per 100 ms from the first: how busy the agent kept Klaxoon. */
function arrivals(entries: readonly { method: string; path: string; at: number }[]): string {
  const first = entries[0]?.at ?? 0;
  const buckets = new Map<number, Map<string, number>>();
  for (const e of entries) {
    const slot = Math.floor((e.at - first) / 100);
    const counts = buckets.get(slot) ?? new Map<string, number>();
    const what = `${e.method} ${e.path.split("/")[1] ?? ""}`;
    counts.set(what, (counts.get(what) ?? 0) + 1);
    buckets.set(slot, counts);
  }
  return [...buckets]
    .map(([slot, counts]) => `  SCIM +${slot * 100} ms: ${[...counts].map(([m, n]) => `${m} ${n}`).join(", ")}\n`)
    .join("");
}

/** The agent's JSON log lines as "+ms message", timed from the first. */
function logTimeline(stderr: string): string {
  const entries = stderr
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { time: number; msg: string })
    .filter((e) => !e.msg.startsWith("not created:"));
  const first = entries[0]?.time ?? 0;
  return entries.map((e) => `  +${String(e.time - first).padStart(6)} ms  ${e.msg}\n`).join("");
}

try {
  await cycle("initial");
  for (let i = 0; i < NOOPS; i += 1) await cycle("noop");
  for (let i = 0; i < INCREMENTALS; i += 1) {
    changer.apply(world.graph.admin, Math.round(USERS / 100));
    await cycle("incremental");
  }
  if (INCREMENTALS > 0) await cycle("full", ["--full-read"]);
  if (CONTROL) await serve(CONTROL);
} finally {
  await world.close();
}
