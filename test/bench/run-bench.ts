/**
 * `npm run bench`: the built agent against seeded tenants on loopback emulators, measured side by
 * side with a minimal load generator (the floor: the agent's own writes replayed, see floor.ts)
 * under the same pacing and the same concurrency. Measurements only: nothing here asserts, and
 * nothing runs under `npm test`. Prints a Markdown table and writes bench-results/bench.md and a
 * JSON file with every run. Scale with BENCH_RUNS, BENCH_USERS_INITIAL, BENCH_USERS_RATE,
 * BENCH_USERS_LARGE, BENCH_CONCURRENCY; choose scenarios with BENCH_ONLY or BENCH_SKIP (comma
 * lists of: initial, rate, large; or large-initial for the large tenant's initial sync and its
 * floor alone).
 */
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT, startBenchWorld, type BenchWorld, type CycleResult } from "./bench-world.js";
import { measureLeaverLane } from "./leaver-lane.js";
import { summariseProfile, type ProfileSummary } from "./profile-summary.js";
import { formatSpread, spread, type Spread } from "./stats.js";
import type { TenantData } from "../fixtures/tenant.js";
import { floorRequests, runFloor, type FloorResult } from "./floor.js";
import { ChangeMaker, everyoneTenant, largeTenant, type ChangeSet } from "./tenants.js";

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  return raw === undefined || raw === "" ? fallback : Number(raw);
};
const RUNS = num("BENCH_RUNS", 3);
const USERS_INITIAL = num("BENCH_USERS_INITIAL", 10_000);
const USERS_RATE = num("BENCH_USERS_RATE", 2_000);
const USERS_LARGE = num("BENCH_USERS_LARGE", 100_000);
const CONCURRENCY = num("BENCH_CONCURRENCY", 8);
/** "No rate limit" means no pacing on either side: the agent at `unlimited`, the floor unpaced. */
const UNPACED = "unlimited";
const list = (name: string): Set<string> => new Set((process.env[name] ?? "").split(",").filter(Boolean));
const ONLY = list("BENCH_ONLY");
const SKIP = list("BENCH_SKIP");
const selected = (id: string): boolean => !SKIP.has(id) && (ONLY.size === 0 || ONLY.has(id));
/** Both sides' settings, stated in every ratio row. */
const UNPACED_LABEL = `no rate limit (agent requestsPerSecond: unlimited, floor unpaced), concurrency ${CONCURRENCY} both`;
const OUT = join(ROOT, "bench-results");
/** The leaver lane's interval in the bench (default 2 minutes; shorter so the run stays short). */
const LANE_INTERVAL_SECONDS = 6;
const PROFILES = join(OUT, "profiles");

const log = (text: string): void =>
  void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);

function checkRun(step: string, r: CycleResult): void {
  log(
    `${step}: exit ${String(r.code)}, ${(r.wallMs / 1000).toFixed(2)} s, SCIM ${r.scimRequests} (writes ${r.scimWrites}, 429 ${r.scim429}), Graph ${r.graphRequests}, RSS ${r.peakRssMb?.toFixed(0) ?? "?"} MB`,
  );
  const t = r.timeline;
  if (t) {
    const s = (ms: number): string => (ms / 1000).toFixed(2);
    log(
      `  timeline (s from spawn): first SCIM ${s(t.firstScimMs)}, first write ${s(t.firstWriteMs)}, last write ${s(t.lastWriteMs)}, exit ${s(t.exitMs)}`,
    );
  }
  if (r.code !== 0 && r.code !== 4) {
    process.stderr.write(`${r.stdoutTail}\n${r.stderrTail}\n`);
    throw new Error(`${step}: the agent exited with ${String(r.code)}`);
  }
}

interface Row {
  scenario: string;
  measure: string;
  value: string;
  target: string;
  met: "yes" | "no" | "—";
}
const rows: Row[] = [];
const raw: Record<string, unknown> = {};
const row = (
  scenario: string,
  measure: string,
  s: Spread | null,
  digits: number,
  unit: string,
  target: string,
  met: boolean | null,
): void => {
  rows.push({
    scenario,
    measure,
    value: s ? formatSpread(s, digits, unit) : "n/a",
    target,
    met: met === null ? "—" : met ? "yes" : "no",
  });
};

// ── 1. Initial sync, everyone + PRO groups, no rate limit, against the floor ──────────────────
async function initialSync(): Promise<void> {
  const scenario = `initial sync, ${USERS_INITIAL.toLocaleString("en")} users + 50 groups, ${UNPACED_LABEL}`;
  const runs: { agent: CycleResult; noop: CycleResult; floor: FloorResult; created: number }[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const tenant = everyoneTenant(1, USERS_INITIAL, 50);
    const world = await startBenchWorld({ tenant, requestsPerSecond: UNPACED, concurrency: CONCURRENCY });
    try {
      const agent = await world.runSync();
      checkRun(`initial ${run}/${RUNS}`, agent);
      const phases = floorRequests(world, 0);
      const noop = await world.runSync();
      checkRun(`initial ${run}/${RUNS}, no-op after`, noop);
      const created = world.klaxoon.requestLog.entries.filter((e) => e.method === "POST" && e.status === 201).length;
      const floor = await runFloor(phases, { dir: world.dir, concurrency: CONCURRENCY, pacing: UNPACED });
      logFloor(`floor ${run}/${RUNS}`, floor);
      runs.push({ agent, noop, floor, created });
    } finally {
      await world.close();
    }
  }
  raw["initial"] = runs;
  const ratio = spread(runs.map((r) => r.agent.wallMs / r.floor.wallMs));
  const perObject = spread(runs.map((r) => r.agent.scimWrites / r.created));
  row(scenario, "wall time", spread(runs.map((r) => r.agent.wallMs / 1000)), 2, " s", "—", null);
  row(scenario, FLOOR_MEASURE, spread(runs.map((r) => r.floor.wallMs / 1000)), 2, " s", "—", null);
  row(scenario, "wall time ÷ floor", ratio, 2, "", "≤ 1.10", ratio.median <= 1.1);
  row(scenario, "SCIM writes per created object", perObject, 3, "", "≤ 1.01", perObject.median <= 1.01);
  row(
    scenario,
    `SCIM writes (objects created: ${runs.map((r) => r.created).join(", ")})`,
    spread(runs.map((r) => r.agent.scimWrites)),
    0,
    "",
    "—",
    null,
  );
  row(scenario, "Graph requests", spread(runs.map((r) => r.agent.graphRequests)), 0, "", "—", null);
  row(scenario, "peak RSS", spread(runs.map((r) => r.agent.peakRssMb ?? Number.NaN)), 0, " MB", "—", null);
  noopAt10k = spread(runs.map((r) => r.noop.graphRequests));
  deltaRequestsAt10k = spread(runs.map((r) => beyondAssignments(r.noop)));
  const noopScenario = `no-op cycle, ${USERS_INITIAL.toLocaleString("en")} users (reference for size independence)`;
  row(noopScenario, "Graph requests", noopAt10k, 0, "", "—", null);
  row(noopScenario, "Graph requests other than assignment-list pages", deltaRequestsAt10k, 0, "", "—", null);
  row(
    noopScenario,
    "SCIM writes",
    spread(runs.map((r) => r.noop.scimWrites)),
    0,
    "",
    "0",
    runs.every((r) => r.noop.scimWrites === 0),
  );
  row(noopScenario, "wall time", spread(runs.map((r) => r.noop.wallMs / 1000)), 2, " s", "—", null);
}
let noopAt10k: Spread | null = null;
const FLOOR_MEASURE =
  "floor: the agent's writes replayed by a bare loader (same pacing, same concurrency, spawn to exit)";

function logFloor(step: string, floor: FloorResult): void {
  log(
    `${step}: ${floor.ok} of ${floor.requests} writes in ${(floor.wallMs / 1000).toFixed(2)} s (${(floor.sendMs / 1000).toFixed(2)} s sending, ${floor.failed} failed)`,
  );
  if (floor.failed > 0) throw new Error(`${step}: ${floor.failed} of the floor's writes failed`);
}
let deltaRequestsAt10k: Spread | null = null;

/** Graph has no delta query for an app's assignments: every cycle pages through all of them. */
const ASSIGNMENT_PAGES = "GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo";
const beyondAssignments = (r: CycleResult): number => r.graphRequests - (r.graphByPath[ASSIGNMENT_PAGES] ?? 0);

// ── 2. Rate-limited initial sync ────────────────────────────────────────────────────────────────
async function rateLimited(): Promise<void> {
  const scenario = `initial sync, ${USERS_RATE.toLocaleString("en")} users, emulator enforcing 16 req/s, agent requestsPerSecond 16 and concurrency ${CONCURRENCY}`;
  const runs: CycleResult[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const tenant = everyoneTenant(2, USERS_RATE, Math.max(3, Math.round(USERS_RATE / 100)));
    const world = await startBenchWorld({
      tenant,
      requestsPerSecond: 16,
      concurrency: CONCURRENCY,
      rateLimit: { requestsPerSecond: 16, retryAfterSeconds: 1 },
    });
    try {
      const r = await world.runSync();
      checkRun(`rate-limited ${run}/${RUNS}`, r);
      runs.push(r);
    } finally {
      await world.close();
    }
  }
  raw["rateLimited"] = runs;
  const ratio = spread(runs.map((r) => r.wallMs / 1000 / (r.scimRequests / 16)));
  const throttled = spread(runs.map((r) => r.scim429));
  row(scenario, "wall time", spread(runs.map((r) => r.wallMs / 1000)), 1, " s", "—", null);
  row(scenario, "SCIM requests", spread(runs.map((r) => r.scimRequests)), 0, "", "—", null);
  row(
    scenario,
    "wall time ÷ (SCIM requests ÷ 16): the floor is the ideal at the same pacing (any client at 16 req/s, any concurrency)",
    ratio,
    3,
    "",
    "≤ 1.01",
    ratio.median <= 1.01,
  );
  row(scenario, "429 count", throttled, 0, "", "0", throttled.max === 0);
}

// ── 3–5. The large tenant: initial sync once, then no-op and incremental cycles ─────────────────
async function largeTenantScenarios(initialOnly: boolean): Promise<void> {
  const groups = Math.round(USERS_LARGE / 100);
  const scale = `${USERS_LARGE.toLocaleString("en")} users + ${groups.toLocaleString("en")} groups`;
  const tenant = largeTenant(3, USERS_LARGE, groups);
  const changer = new ChangeMaker(tenant);
  const world = await startBenchWorld({ tenant, requestsPerSecond: UNPACED, concurrency: CONCURRENCY });
  try {
    const initial = await world.runSync();
    checkRun("large initial", initial);
    const stateFileMb = await stateFileSize(world);
    const floor = await runFloor(floorRequests(world, 0), {
      dir: world.dir,
      concurrency: CONCURRENCY,
      pacing: UNPACED,
    });
    logFloor("large floor", floor);
    const initialScenario = `initial sync, ${scale}, ${UNPACED_LABEL}`;
    row(initialScenario, "wall time", spread([initial.wallMs / 1000]), 1, " s", "—", null);
    row(initialScenario, FLOOR_MEASURE, spread([floor.wallMs / 1000]), 1, " s", "—", null);
    row(initialScenario, "wall time ÷ floor", spread([initial.wallMs / floor.wallMs]), 2, "", "—", null);
    row(initialScenario, "SCIM writes", spread([initial.scimWrites]), 0, "", "—", null);
    row(initialScenario, "Graph requests", spread([initial.graphRequests]), 0, "", "—", null);
    if (initialOnly) {
      raw["large"] = { scale, initial, floor };
      return;
    }
    const noops: CycleResult[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const r = await world.runSync();
      checkRun(`large no-op ${run}/${RUNS}`, r);
      noops.push(r);
    }
    await rm(PROFILES, { recursive: true, force: true });
    await mkdir(PROFILES, { recursive: true });
    const profiled = await world.runSync({ cpuProfileDir: PROFILES });
    checkRun("large no-op, profiled", profiled);
    const profileFile = (await readdir(PROFILES)).find((f) => f.endsWith(".cpuprofile"));
    profile = profileFile ? await summariseProfile(join(PROFILES, profileFile)) : null;
    const incrementals: { result: CycleResult; changes: ChangeSet; coverage: WriteCoverage }[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const changes = changer.apply(world.graph.admin, Math.round(USERS_LARGE / 100));
      const r = await world.runSync();
      checkRun(
        `large incremental ${run}/${RUNS} (${changes.changes} changes, ${changes.expectedWrites} expected writes)`,
        r,
      );
      incrementals.push({ result: r, changes, coverage: writeCoverage(world, tenant, r, changes) });
    }
    // Convergence check: a cycle after the last incremental must write nothing, else the incremental missed changes.
    const after = await world.runSync({ extraArgs: ["--full-read"] });
    checkRun("large no-op after the incrementals (convergence check)", after);
    const lane = await measureLeaverLane(world, LANE_INTERVAL_SECONDS);
    log(
      `leaver lane: quiet pass ${lane.quietPassGraphRequests} Graph requests in ${lane.quietPassMs} ms; disable → inactive ${(lane.disableToInactiveMs / 1000).toFixed(1)} s`,
    );
    raw["large"] = { scale, initial, floor, noops, profiled, incrementals, after, profile, lane };
    const laneScenario = `leaver fast lane (run), ${scale}`;
    row(
      laneScenario,
      "Graph requests per pass when nothing changed",
      spread([lane.quietPassGraphRequests]),
      0,
      "",
      "≤ 5",
      lane.quietPassGraphRequests <= 5,
    );
    row(
      laneScenario,
      "pass duration, nothing changed (the agent's own measure)",
      spread([lane.quietPassMs / 1000]),
      2,
      " s",
      "—",
      null,
    );
    row(
      laneScenario,
      `disable in Entra → active: false in Klaxoon, lane every ${LANE_INTERVAL_SECONDS} s (measured)`,
      spread([lane.disableToInactiveMs / 1000]),
      1,
      " s",
      "—",
      null,
    );
    // At the default 2 minutes the wait is at most one interval plus one pass: the measured pass, not a new run.
    const atDefault = 120 + lane.disableToInactiveMs / 1000;
    row(
      laneScenario,
      "the same at the default lane interval (2 min): at most 120 s + the measured time above",
      spread([atDefault]),
      0,
      " s",
      "≤ 300 s",
      atDefault <= 300,
    );

    const noopScenario = `no-op cycle, ${scale}`;
    const noopWrites = spread(noops.map((r) => r.scimWrites));
    const noopGraph = spread(noops.map((r) => r.graphRequests));
    const noopWall = spread(noops.map((r) => r.wallMs / 1000));
    row(noopScenario, "SCIM writes", noopWrites, 0, "", "0", noopWrites.max === 0);
    row(
      noopScenario,
      noopAt10k
        ? `Graph requests (${noopAt10k.median} at ${USERS_INITIAL.toLocaleString("en")} users)`
        : "Graph requests",
      noopGraph,
      0,
      "",
      "independent of tenant size",
      noopAt10k ? noopGraph.median === noopAt10k.median : null,
    );
    const noopDelta = spread(noops.map(beyondAssignments));
    row(
      noopScenario,
      deltaRequestsAt10k
        ? `Graph requests other than assignment-list pages (${deltaRequestsAt10k.median} at ${USERS_INITIAL.toLocaleString("en")} users)`
        : "Graph requests other than assignment-list pages",
      noopDelta,
      0,
      "",
      "independent of tenant size",
      deltaRequestsAt10k ? noopDelta.median === deltaRequestsAt10k.median : null,
    );
    row(
      noopScenario,
      "assignment-list pages (999 assignments each; no delta query exists for them)",
      spread(noops.map((r) => r.graphByPath[ASSIGNMENT_PAGES] ?? 0)),
      0,
      "",
      "—",
      null,
    );
    // One authenticated read per cycle proves Klaxoon is there and takes the token (issue "Trust every cycle").
    const noopReads = spread(noops.map((r) => r.scimRequests));
    row(noopScenario, "SCIM requests (reads: the connection probe)", noopReads, 0, "", "1", noopReads.max === 1);
    row(noopScenario, "wall time", noopWall, 2, " s", "≤ 1.0 s", noopWall.median <= 1);
    const incScenario = `incremental cycle, 1% of ${USERS_LARGE.toLocaleString("en")} users changed`;
    const writeRatio = spread(incrementals.map((i) => i.result.scimWrites / i.changes.expectedWrites));
    const perChange = spread(incrementals.map((i) => i.result.scimWrites / i.changes.changes));
    const graphPerChange = spread(incrementals.map((i) => i.result.graphRequests / i.changes.changes));
    const incWall = spread(incrementals.map((i) => i.result.wallMs / 1000));
    const c = incrementals[0]?.changes;
    row(
      incScenario,
      `changes per run (${c ? `${c.renames} renames, ${c.disables} disables, ${c.unassignments} unassignments, ${c.moves} member moves` : "?"})`,
      spread(incrementals.map((i) => i.changes.changes)),
      0,
      "",
      "—",
      null,
    );
    row(incScenario, "SCIM writes ÷ changes", perChange, 3, "", "—", null);
    const perResource = spread(incrementals.map((i) => i.result.scimWrites / i.result.scimResourcesWritten));
    row(
      incScenario,
      "SCIM writes ÷ changed attribute sets (users changed + groups whose members changed)",
      writeRatio,
      3,
      "",
      "= 1",
      writeRatio.min === 1 && writeRatio.max === 1,
    );
    const off = spread(incrementals.map((i) => i.coverage.missed + i.coverage.unexpected));
    row(incScenario, "changed objects not written + objects written unchanged", off, 0, "", "0", off.max === 0);
    row(
      incScenario,
      "SCIM writes ÷ distinct resources written",
      perResource,
      3,
      "",
      "= 1",
      perResource.min === 1 && perResource.max === 1,
    );
    row(incScenario, "Graph requests ÷ changes", graphPerChange, 3, "", "≤ 0.1", graphPerChange.median <= 0.1);
    row(incScenario, "wall time", incWall, 2, " s", "≤ 4 s", incWall.median <= 4);
    row(
      incScenario,
      "SCIM writes in a full-read cycle after the last incremental (missed changes)",
      spread([after.scimWrites]),
      0,
      "",
      "0",
      after.scimWrites === 0,
    );
    // Every measured cycle, the full read after the incrementals too (the profiled one runs unbundled, under the profiler).
    const cycles = [initial, ...noops, ...incrementals.map((i) => i.result), after];
    const rss = spread(cycles.map((r) => r.peakRssMb ?? Number.NaN));
    row(
      `memory, ${scale}`,
      "peak RSS of the agent (initial sync)",
      spread([initial.peakRssMb ?? Number.NaN]),
      0,
      " MB",
      "≤ 200 MB",
      (initial.peakRssMb ?? Infinity) <= 200,
    );
    row(
      `memory, ${scale}`,
      "peak RSS, all cycles (initial, no-ops, incrementals, the full read after them)",
      rss,
      0,
      " MB",
      "≤ 200 MB",
      rss.max <= 200,
    );
    row(
      `memory, ${scale}`,
      "state file size (and as much again for its twin)",
      spread([stateFileMb]),
      1,
      " MB",
      "—",
      null,
    );
  } finally {
    await world.close();
  }
}
let profile: ProfileSummary | null = null;

/** The state file after the large initial sync (see state/state-file.ts), in MB. */
const stateFileSize = (world: BenchWorld): Promise<number> =>
  stat(join(world.dir, "state", "state.json")).then((s) => s.size / 1024 / 1024);

interface WriteCoverage {
  readonly missed: number;
  readonly unexpected: number;
}

/**
 * Which Entra objects a cycle wrote to, against the change set: users by externalId (the
 * mappings send mailNickname), groups by externalId (objectId). A write count equal to the
 * expected one could still hide a missed object balanced by a needless write; this cannot.
 */
function writeCoverage(world: BenchWorld, tenant: TenantData, r: CycleResult, changes: ChangeSet): WriteCoverage {
  if (r.scimWritePaths === null) return { missed: Number.NaN, unexpected: Number.NaN };
  const userByNickname = new Map(tenant.users.map((u) => [u.mailNickname, u.id]));
  const written = new Set<string>();
  for (const line of r.scimWritePaths) {
    const match = /^\S+ \/(Users|Groups)\/(.+)$/.exec(line);
    if (!match) {
      written.add(line); // a create in an incremental cycle: never expected
      continue;
    }
    const resource =
      match[1] === "Users" ? world.klaxoon.store.users.get(match[2]!) : world.klaxoon.store.groups.get(match[2]!);
    const externalId = String(resource?.["externalId"]);
    written.add(match[1] === "Users" ? (userByNickname.get(externalId) ?? externalId) : externalId);
  }
  const expected = new Set([...changes.expectedUsers, ...changes.expectedGroups]);
  return {
    missed: [...expected].filter((id) => !written.has(id)).length,
    unexpected: [...written].filter((id) => !expected.has(id)).length,
  };
}

function renderMarkdown(totalS: number): string {
  const lines = [
    `# Benchmark, ${new Date().toISOString()}`,
    "",
    `Node ${process.version}, ${RUNS} run(s) per scenario, concurrency ${CONCURRENCY}; "no rate limit" = no pacing on either side (the agent at requestsPerSecond: unlimited, the floor unpaced). Median (min–max).`,
    "",
    "| scenario | measure | median (min–max) | target | met? |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.scenario} | ${r.measure} | ${r.value} | ${r.target} | ${r.met} |`),
  ];
  if (profile) {
    lines.push(
      "",
      `## CPU profile of one no-op cycle (${USERS_LARGE.toLocaleString("en")} users), ${(profile.totalMs / 1000).toFixed(2)} s sampled`,
      "",
      "| where (innermost frame of our code) | ms | % |",
      "|---|---|---|",
      ...profile.byModule.slice(0, 15).map((m) => `| ${m.module} | ${m.ms.toFixed(0)} | ${m.pct.toFixed(1)} |`),
      "",
      "| top self time | ms | % |",
      "|---|---|---|",
      ...profile.topSelf.map((f) => `| \`${f.name}\` | ${f.ms.toFixed(0)} | ${f.pct.toFixed(1)} |`),
    );
  }
  lines.push("", `Total bench time: ${totalS.toFixed(0)} s.`, "");
  return lines.join("\n");
}

/**
 * The emulators run in this process and the floor always runs after the agent it replays: unwarmed,
 * the first measured agent run would meet an emulator whose code V8 has not compiled yet while its
 * floor met a warm one. One small unmeasured sync first makes both sides meet the same emulator.
 */
async function warmUp(): Promise<void> {
  const world = await startBenchWorld({
    tenant: everyoneTenant(9, 2_000, 5),
    requestsPerSecond: UNPACED,
    concurrency: CONCURRENCY,
  });
  try {
    const agent = await world.runSync();
    checkRun("warm-up (not measured)", agent);
    logFloor(
      "warm-up floor (not measured)",
      await runFloor(floorRequests(world, 0), { dir: world.dir, concurrency: CONCURRENCY, pacing: UNPACED }),
    );
  } finally {
    await world.close();
  }
}

const started = Date.now();
await mkdir(OUT, { recursive: true });
await warmUp();
if (selected("initial")) await initialSync();
if (selected("rate")) await rateLimited();
if (selected("large")) await largeTenantScenarios(false);
else if (selected("large-initial") && ONLY.has("large-initial")) await largeTenantScenarios(true);
const totalS = (Date.now() - started) / 1000;
const markdown = renderMarkdown(totalS);
process.stdout.write(markdown);
await writeFile(join(OUT, "bench.md"), markdown);
const jsonPath = join(OUT, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
await writeFile(
  jsonPath,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      node: process.version,
      runs: RUNS,
      concurrency: CONCURRENCY,
      requestsPerSecond: UNPACED,
      users: { initial: USERS_INITIAL, rateLimited: USERS_RATE, large: USERS_LARGE },
      totalSeconds: totalS,
      rows,
      profile,
      raw,
    },
    null,
    1,
  ),
);
log(`wrote ${join(OUT, "bench.md")} and ${jsonPath}`);
