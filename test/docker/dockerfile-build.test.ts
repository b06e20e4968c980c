import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Builds what the Dockerfile builds, without a Docker engine: the build stage's COPY and RUN in a
 * temp folder, then the runtime stage's COPY --from=build into an `app/` folder, and runs the
 * ENTRYPOINT from there, without dev dependencies.
 *
 * Dependencies: by default node_modules is COPIED from the checkout (then built and pruned like
 * the Dockerfile does) instead of `npm ci`, because `npm ci` here takes ~5 minutes on 2 cores,
 * most of it compiling re2. The pruned copy still proves the point that matters: the built
 * agent runs with production dependencies only (a dev-only or undeclared import fails it).
 * Set DOCKERFILE_TEST_NPM_CI=1 to run the real `npm ci` (from the npm cache when warm).
 */
const ROOT = join(import.meta.dirname, "../..");
const USE_NPM_CI = process.env["DOCKERFILE_TEST_NPM_CI"] === "1";
const run = promisify(execFile);

interface Stage {
  readonly from: string;
  readonly copies: { readonly from: string | null; readonly sources: string[]; readonly dest: string }[];
  readonly runs: string[];
  entrypoint: string[] | null;
}

function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  for (const line of lines) {
    const [instruction = "", ...rest] = line.split(/\s+/);
    const stage = stages.at(-1);
    switch (instruction.toUpperCase()) {
      case "FROM":
        stages.push({ from: rest.join(" "), copies: [], runs: [], entrypoint: null });
        break;
      case "COPY": {
        const fromFlag = rest.find((r) => r.startsWith("--from="));
        const args = rest.filter((r) => !r.startsWith("--"));
        stage?.copies.push({
          from: fromFlag?.slice("--from=".length) ?? null,
          sources: args.slice(0, -1),
          dest: args.at(-1) ?? "",
        });
        break;
      }
      case "RUN":
        stage?.runs.push(rest.join(" "));
        break;
      case "ENTRYPOINT":
        if (stage) stage.entrypoint = JSON.parse(rest.join(" ")) as string[];
        break;
    }
  }
  return stages;
}

/** Docker's rule (for the file and directory sources used here): a dest ending in "/" is a folder. */
function copyTarget(source: string, dest: string, sources: number): string {
  const folder = dest.replace(/^\.\/?/, "");
  return dest.endsWith("/") || sources > 1 ? join(folder, basename(source)) : folder;
}

/** The image's ENTRYPOINT script, relative to /app. */
const ENTRY = "dist/agent.mjs";
let work = "";
let app = "";
let build = "";
let stages: Stage[] = [];
const packageJson = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  devDependencies: Record<string, string>;
};

async function node(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      cwd: app,
      env: { PATH: process.env["PATH"] ?? "", NODE_ENV: "production", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

beforeAll(
  async () => {
    stages = parseDockerfile(await readFile(join(ROOT, "Dockerfile"), "utf8"));
    const [buildStage, runtime] = stages;
    if (!buildStage || !runtime) throw new Error("expected a build stage and a runtime stage");
    work = await mkdtemp(join(tmpdir(), "eks-docker-"));
    build = join(work, "build");
    app = join(work, "app");
    await mkdir(build);
    await mkdir(app);

    // Build stage: COPY from the context, then the RUN line step by step.
    for (const copy of buildStage.copies) {
      for (const source of copy.sources)
        await cp(join(ROOT, source), join(build, copyTarget(source, copy.dest, copy.sources.length)), {
          recursive: true,
        });
    }
    const npm = async (...args: string[]) =>
      run("npm", args, { cwd: build, timeout: 20 * 60_000, maxBuffer: 64 * 1024 * 1024 });
    for (const step of buildStage.runs.flatMap((r) => r.split("&&").map((s) => s.trim()))) {
      if (step === "npm ci") {
        if (USE_NPM_CI) await npm("ci", "--prefer-offline", "--no-audit", "--no-fund");
        else await run("cp", ["-a", join(ROOT, "node_modules"), join(build, "node_modules")]);
      } else if (step === "npm run build") {
        await npm("run", "build");
      } else if (step === "npm prune --omit=dev") {
        await npm("prune", "--omit=dev", "--offline", "--no-audit", "--no-fund");
      } else {
        throw new Error(`the Dockerfile runs "${step}", which this test does not know how to mimic: update the test`);
      }
    }

    // Runtime stage: COPY --from=build, and COPY from the context.
    for (const copy of runtime.copies) {
      for (const source of copy.sources) {
        const base = copy.from === "build" ? source.replace(/^\/app\/?/, "") : source;
        await cp(
          copy.from === "build" ? join(build, base) : join(ROOT, base),
          join(app, copyTarget(base, copy.dest, copy.sources.length)),
          { recursive: true, verbatimSymlinks: true },
        );
      }
    }
  },
  (USE_NPM_CI ? 25 : 6) * 60_000,
);

afterAll(async () => {
  if (work !== "") await rm(work, { recursive: true, force: true });
});

describe("the Dockerfile's build, without Docker", () => {
  it("builds in two stages and runs npm ci, build and prune", () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]!.runs).toEqual(["npm ci && npm run build && npm prune --omit=dev"]);
    expect(stages[1]!.entrypoint).toEqual(["node", "/app/dist/agent.mjs"]);
  });

  it("leaves no dev dependency in the runtime image", () => {
    for (const dev of ["typescript", "vitest", "tsx", "fast-check", "kubernetes-models"]) {
      if (dev in packageJson.devDependencies) expect(existsSync(join(app, "node_modules", dev)), dev).toBe(false);
    }
    expect(existsSync(join(app, "node_modules", "prom-client"))).toBe(true);
    expect(existsSync(join(app, "dist/agent.mjs"))).toBe(true);
    expect(existsSync(join(app, "dist/src"))).toBe(false);
    expect(existsSync(join(app, "src"))).toBe(false);
  });

  it("prints the version from the pruned tree", async () => {
    const result = await node([ENTRY, "--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
  });

  it("loads the daemon's modules (metrics, health server) from the pruned tree", async () => {
    // `run` loads the daemon before it reads the config: a module the bundle cannot load would
    // end in exit 1 ("unexpected error"), not in the config error (exit 2) expected here.
    const result = await node([ENTRY, "run", "--config", "config/absent.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("absent.yaml");
    expect(result.stderr).not.toContain("unexpected error");
  });

  it("validates the example configuration shipped in the image", async () => {
    const result = await node([ENTRY, "validate", "--config", "config/config.example.yaml"], {
      GRAPH_CLIENT_SECRET: "placeholder-secret",
      KLAXOON_SECRET_TOKEN: "placeholder-token",
    });
    expect(result.stderr).toBe("");
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining("valid") });
  });

  it("validates the Kubernetes ConfigMap's configuration, secrets read from files", async () => {
    const manifest = parseAllDocuments(
      await readFile(join(ROOT, "config/kubernetes/configmap.yaml"), "utf8"),
    )[0]!.toJS() as { data: Record<string, string> };
    const secrets = join(work, "secrets");
    await mkdir(secrets);
    await writeFile(join(secrets, "klaxoon-secret-token"), "placeholder-token\n");
    await writeFile(join(secrets, "graph-client-secret"), "placeholder-secret\n");
    const config = manifest.data["config.yaml"]!.replaceAll("/var/run/secrets/entra-klaxoon-sync", secrets)
      .replaceAll("/app/config/", `${join(app, "config")}/`)
      .replaceAll("/var/lib/entra-klaxoon-sync", join(work, "state"));
    await writeFile(join(work, "config.yaml"), config);
    const result = await node([ENTRY, "validate", "--config", join(work, "config.yaml")]);
    expect(result.stderr).toBe("");
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining("valid") });
  });
});
