import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Document } from "yaml";
import type { AgentEnvironment } from "../support/agent-environment.js";

export const ROOT = join(import.meta.dirname, "../..");

export interface Copy {
  readonly from: string | null;
  readonly sources: readonly string[];
  readonly dest: string;
}

export interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly copies: Copy[];
  readonly runs: string[];
  readonly env: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly args: Record<string, string>;
  user: string | null;
  volumes: string[];
  healthcheck: string[] | null;
  entrypoint: string[] | null;
  cmd: string[] | null;
}

export interface Dockerfile {
  /** ARGs before the first FROM, with their defaults. */
  readonly globalArgs: Record<string, string>;
  readonly stages: Stage[];
}

const unquote = (value: string) => value.replace(/^"(.*)"$/, "$1");

/** `KEY=value KEY2="two words"` (ENV, LABEL). */
function pairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) out[match[1]!] = unquote(match[2]!);
  return out;
}

/** The few instructions our Dockerfile uses, read as Docker reads them (line continuations, ${ARG} in FROM and LABEL). */
export function parseDockerfile(text: string = readFileSync(join(ROOT, "Dockerfile"), "utf8")): Dockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  const lines = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const expand = (value: string, scope: Record<string, string>) =>
    value.replace(/\$\{(\w+)\}/g, (_, name: string) => scope[name] ?? "");
  for (const line of lines) {
    const [instruction = "", ...words] = line.split(/\s+/);
    const rest = line.slice(instruction.length).trim();
    const stage = stages.at(-1);
    switch (instruction.toUpperCase()) {
      case "ARG": {
        const [name = "", value = ""] = rest.split("=");
        if (stage) stage.args[name] = unquote(value);
        else globalArgs[name] = unquote(value);
        break;
      }
      case "FROM": {
        const image = expand(words[0] ?? "", globalArgs);
        const as = words.findIndex((w) => w.toUpperCase() === "AS");
        stages.push({
          from: image,
          name: as > 0 ? (words[as + 1] ?? null) : null,
          copies: [],
          runs: [],
          env: {},
          labels: {},
          args: {},
          user: null,
          volumes: [],
          healthcheck: null,
          entrypoint: null,
          cmd: null,
        });
        break;
      }
      case "COPY": {
        const fromFlag = words.find((r) => r.startsWith("--from="));
        const paths = words.filter((r) => !r.startsWith("--"));
        stage?.copies.push({
          from: fromFlag?.slice("--from=".length) ?? null,
          sources: paths.slice(0, -1),
          dest: paths.at(-1) ?? "",
        });
        break;
      }
      case "RUN":
        stage?.runs.push(rest);
        break;
      case "ENV":
        if (stage) Object.assign(stage.env, pairs(rest));
        break;
      case "LABEL":
        if (stage) for (const [k, v] of Object.entries(pairs(rest))) stage.labels[k] = expand(v, stage.args);
        break;
      case "USER":
        if (stage) stage.user = rest;
        break;
      case "VOLUME":
        stage?.volumes.push(...(JSON.parse(rest) as string[]));
        break;
      case "HEALTHCHECK":
        if (stage) stage.healthcheck = JSON.parse(rest.slice(rest.indexOf("CMD") + 3).trim()) as string[];
        break;
      case "ENTRYPOINT":
        if (stage) stage.entrypoint = JSON.parse(rest) as string[];
        break;
      case "CMD":
        if (stage) stage.cmd = JSON.parse(rest) as string[];
        break;
    }
  }
  return { globalArgs, stages };
}

/** Docker's rule (for the file and directory sources used here): a dest ending in "/" is a folder. */
export function copyTarget(source: string, dest: string, sources: number): string {
  const folder = dest.replace(/^\.\/?/, "");
  const base = source.split("/").filter(Boolean).at(-1) ?? source;
  return dest.endsWith("/") || sources > 1 ? join(folder, base) : folder;
}

/** Whether a Docker daemon answers (the CLI alone is not enough). */
export async function dockerDaemon(): Promise<{ readonly ok: boolean; readonly reason: string }> {
  const { execFile } = await import("node:child_process");
  return new Promise((resolve) => {
    execFile("docker", ["info", "--format", "{{.ServerVersion}}"], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error)
        resolve({ ok: false, reason: (stderr || error.message).trim().split("\n").at(-1) ?? "docker info failed" });
      else resolve({ ok: true, reason: `Docker ${stdout.trim()}` });
    });
  });
}

/** The lines of the first ```sh block under a README heading (`### Docker`), comments included. */
export function readmeBlock(heading: string): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md: no "${heading}" section`);
  const open = readme.indexOf("```sh\n", start);
  const close = readme.indexOf("\n```", open + 6);
  return readme.slice(open + 6, close).split("\n");
}

export interface DockerRun {
  readonly line: string;
  readonly detached: boolean;
  readonly readOnly: boolean;
  readonly tmpfs: readonly string[];
  readonly groupAdd: readonly string[];
  readonly env: readonly string[];
  /** `-v source:destination[:ro]`; a source without "/" is a named volume. */
  readonly mounts: readonly { readonly source: string; readonly destination: string; readonly readOnly: boolean }[];
  readonly image: string;
  /** The command after the image (empty: the image's CMD). */
  readonly args: readonly string[];
}

/** Splits a shell line into words the way sh would for the quoting our README uses ("…", '…'). */
export function shellWords(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** A `docker run …` line, read as Docker reads the options our README uses. */
export function parseDockerRun(line: string): DockerRun {
  const words = shellWords(line);
  if (words[0] !== "docker" || words[1] !== "run") throw new Error(`not a docker run line: ${line}`);
  const flags = new Set(["--rm", "-d", "--read-only"]);
  const withValue = new Set(["--name", "--restart", "--tmpfs", "--group-add", "-p", "-v", "-e"]);
  const run = {
    line,
    detached: false,
    readOnly: false,
    tmpfs: [] as string[],
    groupAdd: [] as string[],
    env: [] as string[],
    mounts: [] as DockerRun["mounts"][number][],
    image: "",
    args: [] as string[],
  };
  let i = 2;
  for (; i < words.length; i += 1) {
    const word = words[i]!;
    if (!word.startsWith("-")) break;
    if (flags.has(word)) {
      if (word === "-d") run.detached = true;
      if (word === "--read-only") run.readOnly = true;
      continue;
    }
    if (!withValue.has(word)) throw new Error(`docker run option ${word}: unknown to this test, update parseDockerRun`);
    i += 1;
    const value = words[i]!;
    if (word === "--tmpfs") run.tmpfs.push(value);
    if (word === "--group-add") run.groupAdd.push(value);
    if (word === "-e") run.env.push(value);
    if (word === "-v") {
      const [source = "", destination = "", mode] = value.split(":");
      run.mounts.push({ source, destination, readOnly: mode === "ro" });
    }
  }
  run.image = words[i] ?? "";
  run.args = words.slice(i + 1);
  return run;
}

/**
 * The README's "edit eks/config/config.yaml" step, done for the emulators: their tenant, app and
 * Tenant URL, and (for the tests only) their Graph endpoint and authority.
 */
export function pointAtEmulators(config: Document, env: AgentEnvironment): void {
  config.setIn(["graph", "tenantId"], env.graph.tenantId);
  config.setIn(["graph", "clientId"], env.graph.clientId);
  config.setIn(["app", "appId"], env.graph.appId);
  config.setIn(["klaxoon", "tenantUrl"], env.klaxoon.url);
  config.setIn(["graph", "endpoint"], env.graph.url);
  config.setIn(["graph", "authorityHost"], env.graph.authorityHost);
}
