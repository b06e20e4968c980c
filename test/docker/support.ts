import { readFileSync } from "node:fs";
import { join } from "node:path";

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
