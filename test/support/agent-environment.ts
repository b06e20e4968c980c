/**
 * A whole local world for the agent: the Graph emulator (HTTPS, test CA), the Klaxoon
 * emulator, and a config directory pointing at both, with secrets in files and env as a user
 * would set them. Used by end-to-end tests and by `npm run demo`.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from "../emulators/graph/index.js";
import { startKlaxoonEmulator, type KlaxoonEmulator, type KlaxoonEmulatorOptions } from "../emulators/klaxoon/index.js";

const ROOT = resolve(import.meta.dirname, "../..");

export interface AgentRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface AgentEnvironment {
  readonly graph: GraphEmulator;
  readonly klaxoon: KlaxoonEmulator;
  readonly dir: string;
  readonly configPath: string;
  readonly statePath: string;
  /** Runs the CLI as a user would, in a child process, with this world's config. */
  runAgent(args: readonly string[]): Promise<AgentRun>;
  /** Starts the CLI and returns at once (for `run`, the daemon). */
  spawnAgent(args: readonly string[]): ChildProcessWithoutNullStreams;
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  readonly graph?: GraphEmulatorOptions;
  readonly klaxoon?: KlaxoonEmulatorOptions;
  /** Extra YAML appended to the config (scoping, deletionGuard, …). */
  readonly extraConfig?: string;
  /** A mappings file to use instead of config/klaxoon.mappings.yaml. */
  readonly mappingsYaml?: string;
  /** Run the built CLI (dist/) rather than the TypeScript sources. */
  readonly built?: boolean;
}

export async function startAgentEnvironment(options: EnvironmentOptions = {}): Promise<AgentEnvironment> {
  const graph = await startGraphEmulator(options.graph);
  const klaxoon = await startKlaxoonEmulator(options.klaxoon);
  const dir = await mkdtemp(join(tmpdir(), "eks-env-"));
  await writeFile(join(dir, "klaxoon-token"), `${klaxoon.token}\n`, { mode: 0o600 });
  let mappings = join(ROOT, "config", "klaxoon.mappings.yaml");
  if (options.mappingsYaml !== undefined) {
    mappings = join(dir, "mappings.yaml");
    await writeFile(mappings, options.mappingsYaml);
  }
  const configPath = join(dir, "config.yaml");
  const statePath = join(dir, "state", "state.json");
  await writeFile(
    configPath,
    [
      "graph:",
      `  tenantId: ${graph.tenantId}`,
      `  clientId: ${graph.clientId}`,
      "  credential: { type: clientSecret, clientSecret: { env: GRAPH_CLIENT_SECRET } }",
      `  endpoint: ${graph.url}`,
      `  authorityHost: ${graph.authorityHost}`,
      "app:",
      `  appId: ${graph.appId}`,
      "klaxoon:",
      `  tenantUrl: ${klaxoon.url}`,
      "  secretToken: { file: klaxoon-token }",
      `mappings: ${JSON.stringify(mappings)}`,
      "state:",
      `  path: ${JSON.stringify(statePath)}`,
      options.extraConfig ?? "",
      "",
    ].join("\n"),
  );
  const env = { ...process.env, GRAPH_CLIENT_SECRET: graph.clientSecret, NODE_EXTRA_CA_CERTS: graph.caCertPath };
  const entry = options.built === true ? [join(ROOT, "dist", "src", "main.js")] : ["--import", "tsx", join(ROOT, "src", "main.ts")];
  return {
    graph,
    klaxoon,
    dir,
    configPath,
    statePath,
    runAgent: (args) => runNode([...entry, ...args, "--config", configPath], env),
    spawnAgent: (args) => spawn(process.execPath, [...entry, ...args, "--config", configPath], { cwd: ROOT, env }),
    close: async () => {
      await Promise.all([graph.close(), klaxoon.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
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
