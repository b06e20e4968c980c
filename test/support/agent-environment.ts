/**
 * A whole local world for the agent: the Graph emulator (HTTPS, test CA), the Klaxoon
 * emulator, and a config directory pointing at both, with secrets in files and env as a user
 * would set them. Used by end-to-end tests and by `npm run demo`.
 *
 * `runAgent` runs the CLI in this process, through `runAgent` (src/main/run-agent.ts), the one
 * entry the executable runs: the same composition, catch and exit codes, without a Node start
 * per run. Where the process itself is the subject (its exit code and output as a shell sees
 * them, signals, the bundle), a test uses `runAgentProcess`, `spawnAgent`, or `childProcess: true`.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { agentConfigYaml } from "./agent-config-yaml.js";
import { runAgentInProcess } from "./in-process-agent.js";
import { EXIT } from "../../src/cli/index.js";
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from "../emulators/graph/index.js";
import { startKlaxoonEmulator, type KlaxoonEmulator, type KlaxoonEmulatorOptions } from "../emulators/klaxoon/index.js";

const ROOT = resolve(import.meta.dirname, "../..");

export interface AgentRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A SCIM server for the agent to provision into instead of the Klaxoon emulator. */
export interface ScimTarget {
  /** The Tenant URL. */
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

export interface AgentEnvironment {
  readonly graph: GraphEmulator;
  readonly klaxoon: KlaxoonEmulator;
  /** The SCIM server the config points at: `klaxoon`, or the `target` option. */
  readonly target: ScimTarget;
  readonly dir: string;
  readonly configPath: string;
  readonly statePath: string;
  /**
   * Runs the CLI with this world's config: in this process through the executable's entry, or
   * in a child process when the environment was started with `childProcess` or `built`. A bug
   * (exit 1, "unexpected error") throws, so it fails the test whatever the test checks.
   */
  runAgent(args: readonly string[]): Promise<AgentRun>;
  /** Runs the CLI as a user would, in a child process (`node … bin.ts`, or the bundle when `built`). */
  runAgentProcess(args: readonly string[]): Promise<AgentRun>;
  /** Starts the CLI and returns at once (for `run`, the daemon). */
  spawnAgent(args: readonly string[]): ChildProcessWithoutNullStreams;
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  readonly graph?: GraphEmulatorOptions;
  readonly klaxoon?: KlaxoonEmulatorOptions;
  /** Extra YAML appended to the config (scoping, deletionGuard, …). */
  readonly extraConfig?: string;
  /** Extra lines inside `graph:`, already indented (`"  maxRetries: 2"`, `"  nestedGroups: { expand: true }"`). */
  readonly graphLines?: readonly string[];
  /** Extra lines inside `klaxoon:`, already indented (`"  timeoutSeconds: 1"`). */
  readonly klaxoonLines?: readonly string[];
  /** A mappings file to use instead of config/klaxoon.mappings.yaml. */
  readonly mappingsYaml?: string;
  /** Run the built CLI (dist/) rather than the TypeScript sources, in a child process. */
  readonly built?: boolean;
  /** `runAgent` starts a child process, as `runAgentProcess` does (default: in this process). */
  readonly childProcess?: boolean;
  /**
   * `klaxoon.requestsPerSecond` for the agent: default FAST_REQUESTS_PER_SECOND, since pacing is
   * not what most worlds test; `"agent default"` leaves the key out (16 requests/s). Ignored
   * when `klaxoonLines` sets it.
   */
  readonly requestsPerSecond?: number | "agent default";
  /** More environment variables for the agent (e.g. OTEL_EXPORTER_OTLP_ENDPOINT). */
  readonly env?: Readonly<Record<string, string>>;
  /** Another SCIM server instead of the emulator: see TargetOptions. */
  readonly target?: undefined;
}

/** Provision into `target` instead of the Klaxoon emulator, which is then not started; `target` is closed with the environment. */
export type TargetOptions = Omit<EnvironmentOptions, "klaxoon" | "target"> & { readonly target: ScimTarget };

/** An environment around another SCIM server: no Klaxoon emulator. */
export type TargetEnvironment = Omit<AgentEnvironment, "klaxoon">;

/** The pacing a test world gives the agent unless it tests pacing: Klaxoon's limit is not the subject. */
export const FAST_REQUESTS_PER_SECOND = 1000;

/** `klaxoonLines` with the world's pacing added, unless they set it or the agent's default is asked for. */
function pacedKlaxoonLines(options: EnvironmentOptions | TargetOptions): readonly string[] {
  const lines = options.klaxoonLines ?? [];
  const rps = options.requestsPerSecond ?? FAST_REQUESTS_PER_SECOND;
  if (rps === "agent default" || lines.some((line) => /^\s*requestsPerSecond:/.test(line))) return lines;
  return [...lines, `  requestsPerSecond: ${rps}`];
}

export function startAgentEnvironment(options: TargetOptions): Promise<TargetEnvironment>;
export function startAgentEnvironment(options?: EnvironmentOptions): Promise<AgentEnvironment>;

export async function startAgentEnvironment(
  options: EnvironmentOptions | TargetOptions = {},
): Promise<AgentEnvironment | TargetEnvironment> {
  const graph = await startGraphEmulator(options.graph);
  const klaxoon = options.target === undefined ? await startKlaxoonEmulator(options.klaxoon) : null;
  const target: ScimTarget = options.target ?? klaxoon ?? noTarget();
  const dir = await mkdtemp(join(tmpdir(), "eks-env-"));
  await writeFile(join(dir, "klaxoon-token"), `${target.token}\n`, { mode: 0o600 });
  let mappings = join(ROOT, "config", "klaxoon.mappings.yaml");
  if (options.mappingsYaml !== undefined) {
    mappings = join(dir, "mappings.yaml");
    await writeFile(mappings, options.mappingsYaml);
  }
  const configPath = join(dir, "config.yaml");
  const statePath = join(dir, "state", "state.json");
  await writeFile(
    configPath,
    agentConfigYaml({
      graph,
      tenantUrl: target.url,
      mappingsPath: mappings,
      statePath,
      extra: options.extraConfig,
      ...(options.graphLines ? { graphLines: options.graphLines } : {}),
      klaxoonLines: pacedKlaxoonLines(options),
    }),
  );
  const env = {
    ...process.env,
    GRAPH_CLIENT_SECRET: graph.clientSecret,
    NODE_EXTRA_CA_CERTS: graph.caCertPath,
    ...options.env,
  };
  const inChild = options.built === true || options.childProcess === true;
  const entry =
    options.built === true
      ? [join(ROOT, "dist", "agent.mjs")]
      : ["--import", "tsx", join(ROOT, "src", "main", "bin.ts")];
  return {
    graph,
    ...(klaxoon === null ? {} : { klaxoon }),
    target,
    dir,
    configPath,
    statePath,
    runAgent: (args) =>
      inChild
        ? runNode([...entry, ...args, "--config", configPath], env)
        : runInProcess([...args, "--config", configPath], env),
    runAgentProcess: (args) => runNode([...entry, ...args, "--config", configPath], env),
    spawnAgent: (args) => spawn(process.execPath, [...entry, ...args, "--config", configPath], { cwd: ROOT, env }),
    close: async () => {
      await Promise.all([graph.close(), target.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function noTarget(): never {
  throw new Error("unreachable: either a target or the Klaxoon emulator");
}

/** Runs the CLI in this process; a bug (exit 1) throws with what the entry printed. */
async function runInProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<AgentRun> {
  const run = await runAgentInProcess(args, env);
  if (run.code === EXIT.unexpected) {
    throw new Error(`the agent ended with exit 1 (a bug) for ${args.join(" ")}:\n${run.stderr.slice(-4000)}`);
  }
  return { code: run.code, stdout: run.stdout, stderr: run.stderr };
}

/** Runs `node <args>` from the repository root and collects its output. */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<AgentRun> {
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
