/**
 * The model-based soak: a seeded random walk over an Entra tenant. Each cycle applies random
 * mutations (soak-mutations.ts), sometimes injects transient faults (soak-faults.ts) and runs a
 * cycle through them, then clears the faults and runs clean cycles. After every run no account
 * may have been deactivated that the model says should be active; after the clean run(s) Klaxoon
 * must hold exactly what the model expects (within 2 cycles once faults are cleared, at once when
 * there were none), a full-read dry run right after must plan nothing at all (incremental ≡ full:
 * the delta path left nothing that reading everything would still change), and every few cycles
 * a further run must write nothing at all. The Graph emulator runs in the mode given, where
 * Microsoft's documentation leaves room (soft deletes reported in groups/delta or not).
 *
 * Cycles run in-process (runCli with the real adapters) against the emulators on 127.0.0.1.
 */
import { writeFile } from "node:fs/promises";
import type { SoftDeleteMembership, SoftDeletedUserDelta } from "../emulators/graph/index.js";
import { join, resolve } from "node:path";
import { EXIT } from "../../src/cli/index.js";
import { createRandom, type Random } from "../fixtures/random.js";
import { generateTenant } from "../fixtures/tenant.js";
import { agentConfigYaml } from "../support/agent-config-yaml.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { compressedClock } from "../support/compressed-clock.js";
import { runAgentInProcess, type InProcessRun } from "../support/in-process-agent.js";

/** The soak tests what faults do to the outcome, not how long retries wait: its waits pass 50 times faster. */
const WAITS_CUT_SHORT = compressedClock(50);
import { clearFaults, injectRandomFaults } from "./soak-faults.js";
import { differences } from "./soak-invariants.js";
import { TenantModel } from "./soak-model.js";
import { createGroup, createUser, mutateRandomly, type MutationContext } from "./soak-mutations.js";

export interface SoakOptions {
  readonly seed: number;
  readonly cycles: number;
  /** Chance that a cycle runs through faults first (default 0.5). */
  readonly faultChance?: number;
  /** Check that a further run writes nothing every N cycles (default 5). */
  readonly idempotenceEvery?: number;
  /** The Graph emulator's reading of what Microsoft leaves open (default: its own defaults). */
  readonly graphModes?: {
    readonly softDeleteMembership: SoftDeleteMembership;
    readonly softDeletedUserDelta: SoftDeletedUserDelta;
  };
}

export interface SoakFailure {
  readonly seed: number;
  readonly cycle: number;
  readonly problems: readonly string[];
  /** What each cycle did, up to the failing one. */
  readonly history: readonly string[];
}

export interface SoakResult {
  readonly cyclesRun: number;
  readonly failure: SoakFailure | null;
  /** Totals, to show the soak did real work. */
  readonly stats: { mutations: number; faultyCycles: number; deactivations: number; writes: number };
}

const ROOT = resolve(import.meta.dirname, "../..");
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const random = createRandom(options.seed);
  const env = await startAgentEnvironment({
    graph: {
      tenant: generateTenant({ seed: options.seed, users: 0, groups: 0 }),
      faultSeed: options.seed,
      ...options.graphModes,
    },
    klaxoon: { faultSeed: options.seed },
  });
  try {
    return await soak(env, random, options);
  } finally {
    await env.close();
  }
}

async function soak(env: AgentEnvironment, random: Random, options: SoakOptions): Promise<SoakResult> {
  // No client-side pacing and quiet logs: the soak is about correctness, not politeness.
  await writeFile(
    env.configPath,
    agentConfigYaml({
      graph: env.graph,
      tenantUrl: env.klaxoon.url,
      mappingsPath: join(ROOT, "config", "klaxoon.mappings.yaml"),
      statePath: env.statePath,
      klaxoonLines: ["  requestsPerSecond: 1000"],
      extra: "log: { level: error }",
    }),
  );
  const processEnv = { ...process.env, GRAPH_CLIENT_SECRET: env.graph.clientSecret };
  const model = new TenantModel();
  const ctx: MutationContext = { admin: env.graph.admin, model, random, prefix: `s${options.seed}`, counter: 0 };
  const history: string[] = [];
  const stats = { mutations: 0, faultyCycles: 0, deactivations: 0, writes: 0 };
  const setup = [
    ...Array.from({ length: 4 }, () => createGroup(ctx)),
    ...Array.from({ length: 15 }, () => createUser(ctx)),
  ];
  history.push(`setup: ${setup.join("; ")}`);

  for (let cycle = 0; cycle <= options.cycles; cycle++) {
    const fail = (problems: readonly string[]): SoakResult => ({
      cyclesRun: cycle,
      failure: { seed: options.seed, cycle, problems, history },
      stats,
    });
    if (cycle > 0) {
      const mutations = mutateRandomly(ctx);
      stats.mutations += mutations.length;
      history.push(`cycle ${cycle}: ${mutations.join("; ")}`);
    }
    const runChecked = async (label: string): Promise<{ run: InProcessRun; problems: string[] }> => {
      const deactivationsBefore = env.klaxoon.deactivations.length;
      const writesBefore = countWrites(env);
      const run = await runAgentInProcess(["sync", "--config", env.configPath], processEnv, { clock: WAITS_CUT_SHORT });
      const fresh = env.klaxoon.deactivations.slice(deactivationsBefore);
      stats.deactivations += fresh.length;
      stats.writes += countWrites(env) - writesBefore;
      const problems = fresh
        .filter((d) => !model.deactivationIsLegitimate(d.userName))
        .map((d) => `${label}: deactivated ${d.userName}, which should be active`);
      history.push(
        `  ${label}: exit ${run.code}${run.error ? ` (${run.error.code}: ${run.error.message.slice(0, 200)})` : ""}`,
      );
      return { run, problems };
    };

    const hadFaults = cycle > 0 && random.next() < (options.faultChance ?? 0.5);
    if (hadFaults) {
      stats.faultyCycles += 1;
      const expectedActive = [...model.expected().users.values()].filter((u) => u.active).map((u) => u.userName);
      history.push(`  faults: ${injectRandomFaults(env.graph, env.klaxoon, random, expectedActive).join("; ")}`);
      const { problems } = await runChecked("run with faults");
      clearFaults(env.graph, env.klaxoon);
      if (problems.length > 0) return fail(problems);
    }

    let remaining: string[] = [];
    for (let attempt = 1; attempt <= (hadFaults ? 2 : 1); attempt++) {
      const { run, problems } = await runChecked(`clean run ${attempt}`);
      if (problems.length > 0) return fail(problems);
      remaining = differences(env.klaxoon, model.expected());
      if (run.code !== EXIT.success) remaining.push(`clean run ${attempt} exited ${run.code}`);
      if (remaining.length === 0) break;
    }
    if (remaining.length > 0) return fail(remaining);
    const leftOver = await fullReadLeftovers(env, processEnv);
    history.push(`  full-read dry run: ${leftOver.length === 0 ? "nothing to do" : leftOver.join(", ")}`);
    if (leftOver.length > 0)
      return fail([`after the incremental cycle, a full read still plans: ${leftOver.join(", ")}`]);
    model.settle();

    if (cycle > 0 && cycle % (options.idempotenceEvery ?? 5) === 0) {
      const writesBefore = countWrites(env);
      const { run, problems } = await runChecked("idempotence run");
      const writes = countWrites(env) - writesBefore;
      if (problems.length > 0 || run.code !== EXIT.success || writes > 0) {
        return fail([
          ...problems,
          ...(writes > 0 ? [`a run with nothing to do wrote ${writes} time(s) to Klaxoon`] : []),
          ...(run.code !== EXIT.success ? [`exit ${run.code}`] : []),
        ]);
      }
    }
  }
  return { cyclesRun: options.cycles, failure: null, stats };
}

/** What a full-read dry run plans now, one `action label` per operation (held ones included). */
async function fullReadLeftovers(env: AgentEnvironment, processEnv: NodeJS.ProcessEnv): Promise<string[]> {
  const run = await runAgentInProcess(
    ["sync", "--dry-run", "--full-read", "--output", "json", "--config", env.configPath],
    processEnv,
    { clock: WAITS_CUT_SHORT },
  );
  if (run.code !== EXIT.success)
    return [
      `the full-read dry run exited ${run.code}${run.error ? ` (${run.error.code}: ${run.error.message.slice(0, 200)})` : ""}`,
    ];
  const plan = JSON.parse(run.stdout) as { operations: PlannedOperation[]; held: PlannedOperation[] };
  return [...plan.operations, ...plan.held].map((op) => `${op.kind}.${op.action} ${op.object.label}`);
}

interface PlannedOperation {
  readonly kind: string;
  readonly action: string;
  readonly object: { readonly label: string };
}

function countWrites(env: AgentEnvironment): number {
  return env.klaxoon.requestLog.count((r) => WRITES.has(r.method) && r.status >= 200 && r.status < 300);
}

export function describeFailure(failure: SoakFailure): string {
  return [
    `soak failed at cycle ${failure.cycle} (seed ${failure.seed}):`,
    ...failure.problems.map((p) => `  - ${p}`),
    `replay: SOAK_SEED=${failure.seed} SOAK_CYCLES=${failure.cycle} npm run soak (or one file of test/reliability/soak-*.test.ts)`,
    "history (last 12 entries):",
    ...failure.history.slice(-Number(process.env["SOAK_HISTORY"] ?? 12)).map((h) => `  ${h}`),
  ].join("\n");
}
