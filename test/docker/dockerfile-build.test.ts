import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import {
  chmod,
  chown,
  copyFile,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseDocument } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CA_CERT_PATH } from "../emulators/graph/test-ca.js";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { watchAgent } from "../support/watch-agent.js";
import {
  copyTarget,
  type DockerRun,
  parseDockerfile,
  parseDockerRun,
  pointAtEmulators,
  readmeBlock,
  ROOT,
  type Stage,
} from "./support.js";

/**
 * Builds what the Dockerfile builds, without a Docker engine, and runs the result as the image
 * would: the build stage's COPY and RUN in a temp folder, the runtime-deps stage's pruning, the
 * runtime stage's COPY into an `app/` folder, then the bundle from there, through a full demo
 * cycle against the two emulators, with the image's directory layout.
 *
 * Dependencies: `npm ci` is replaced by a copy of the checkout's node_modules (`npm ci` here
 * takes ~5 minutes on 2 cores, most of it compiling re2); `npm run build` and the runtime-deps
 * script run for real, so the app folder is the image's app layers, file for file.
 *
 * The layout: the README's "### Docker" commands, as written. Its shell lines (folders, the
 * container config, the secret files) run for real; its `docker run` lines are emulated. As
 * root (where `unshare` may make a mount namespace), the agent runs chrooted in a read-only root
 * holding only the host's /usr, /app (the app folder above, read-only) and the line's own `-v`,
 * `--tmpfs` and `--group-add`, at their real paths, as uid/gid 1000 (the image's `node`), with
 * config/config.container.yaml used as shipped (only the ids and URLs a user sets, changed).
 * Elsewhere (not root, e.g. CI; or DOCKERFILE_TEST_NO_ISOLATION=1) it runs as the current user,
 * the image's absolute paths rewritten to the mounts' sources; the describe title says which.
 * The host's Node runs the bundle (20.18+ here; the image has 24).
 */
const run = promisify(execFile);
const dockerfile = parseDockerfile();
const [buildStage, depsStage, runtime] = dockerfile.stages as [Stage, Stage, Stage];
const packageJson = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  license: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
/** The runtime stage's environment (ENV), as the container gets it. */
const imageEnv = runtime.env;
const SIZE_BUDGET_MB = 60;

/** What the layout needs: root, a private mount namespace where tmpfs and bind mounts work, and chroot. */
function isolationWorks(): boolean {
  if (process.env["DOCKERFILE_TEST_NO_ISOLATION"] === "1" || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), "eks-probe-"));
  try {
    const probe =
      'mount -t tmpfs tmpfs "$1" && mount --bind /usr "$1" && mount -o remount,bind,ro "$1" && command -v chroot';
    return spawnSync("unshare", ["-m", "--propagation", "private", "sh", "-c", probe, "probe", dir]).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const canIsolate = isolationWorks();
const MODE = canIsolate
  ? "isolated (mount namespace, chroot, read-only root, uid 1000)"
  : "rewritten paths (no root or no unshare: the image's absolute paths are mapped to temp folders)";

let work = "";
let build = "";
let app = "";
let appBytes = 0;

async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await treeBytes(path);
    else total += (await lstat(path)).size;
  }
  return total;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "eks-docker-"));
  build = join(work, "build");
  app = join(work, "app");
  await mkdir(build);
  await mkdir(app);

  // Build stage: COPY from the context, then its RUN line step by step.
  for (const copy of buildStage.copies) {
    for (const source of copy.sources)
      await cp(join(ROOT, source), join(build, copyTarget(source, copy.dest, copy.sources.length)), {
        recursive: true,
      });
  }
  for (const step of buildStage.runs.flatMap((r) => r.split("&&").map((s) => s.trim()))) {
    if (step === "npm ci") await run("cp", ["-a", `${join(ROOT, "node_modules")}/.`, join(build, "node_modules")]);
    else if (step === "npm run build") await run("npm", ["run", "build"], { cwd: build, timeout: 5 * 60_000 });
    else
      throw new Error(
        `the Dockerfile's build stage runs "${step}", which this test does not know how to mimic: update the test`,
      );
  }

  // runtime-deps stage (FROM build): its COPY from the context, then its RUN, in the same tree
  // (the script only touches package.json and node_modules; dist stays as the build left it).
  expect(depsStage.from).toBe("build");
  for (const copy of depsStage.copies) {
    for (const source of copy.sources) await cp(join(ROOT, source), join(work, copy.dest));
  }
  for (const step of depsStage.runs) {
    const script = /^node (\/tmp\/\S+\.mjs)$/.exec(step)?.[1];
    if (!script)
      throw new Error(
        `the runtime-deps stage runs "${step}", which this test does not know how to mimic: update the test`,
      );
    await run(process.execPath, [join(work, script)], { cwd: build, timeout: 120_000 });
  }

  // Runtime stage: COPY --from=<stage>, and COPY from the context.
  for (const copy of runtime.copies) {
    for (const source of copy.sources) {
      const fromStage = copy.from !== null;
      const base = fromStage ? source.replace(/^\/app\/?/, "") : source;
      await cp(
        fromStage ? join(build, base) : join(ROOT, base),
        join(app, copyTarget(base, copy.dest, copy.sources.length)),
        { recursive: true, verbatimSymlinks: true },
      );
    }
  }
  appBytes = await treeBytes(app);
  console.info(
    `[dockerfile-build] app layers (pruned tree): ${(appBytes / 1e6).toFixed(1)} MB; node_modules ${((await treeBytes(join(app, "node_modules"))) / 1e6).toFixed(1)} MB; layout mode: ${MODE}`,
  );
}, 6 * 60_000);

afterAll(async () => {
  if (work !== "") await rm(work, { recursive: true, force: true });
});

describe("the Dockerfile", () => {
  it("builds on the Node 24 LTS line, an exact version, slim at run time, the same release in every stage", () => {
    expect(dockerfile.globalArgs["NODE_VERSION"]).toMatch(/^24\.\d+\.\d+$/);
    const version = dockerfile.globalArgs["NODE_VERSION"]!;
    const release = dockerfile.globalArgs["DEBIAN_RELEASE"]!;
    expect(buildStage.from).toBe(`node:${version}-${release}`);
    expect(runtime.from).toBe(`node:${version}-${release}-slim`);
    expect(dockerfile.stages.map((s) => s.name)).toEqual(["build", "runtime-deps", null]);
  });

  it("carries the OCI labels: source, version (package.json's), licence (package.json's)", () => {
    expect(runtime.labels["org.opencontainers.image.version"]).toBe(packageJson.version);
    expect(runtime.labels["org.opencontainers.image.licenses"]).toBe(packageJson.license);
    expect(runtime.labels["org.opencontainers.image.source"]).toMatch(/^https:\/\//);
  });

  it("runs as node, with the state volume, the agent as entrypoint and the daemon as command", () => {
    expect(runtime.user).toBe("node");
    expect(runtime.volumes).toEqual(["/var/lib/entra-klaxoon-sync"]);
    expect(runtime.runs).toContain(
      "mkdir -p /var/lib/entra-klaxoon-sync && chown node:node /var/lib/entra-klaxoon-sync",
    );
    expect(runtime.entrypoint).toEqual(["node", "/app/dist/agent.mjs"]);
    expect(runtime.cmd).toEqual(["run", "--config", "/etc/entra-klaxoon-sync/config.yaml"]);
    expect(imageEnv["ENTRA_KLAXOON_SYNC_CONFIG"]).toBe("/etc/entra-klaxoon-sync/config.yaml");
    expect(runtime.healthcheck).toEqual(["node", "/app/dist/healthcheck.mjs"]);
    expect(imageEnv["ENTRA_KLAXOON_SYNC_HEALTH_PORT"]).toBe("8080");
  });

  it("keeps node_modules, local state and logs out of the build context (.dockerignore)", async () => {
    const ignore = (await readFile(join(ROOT, ".dockerignore"), "utf8")).split("\n").map((l) => l.trim());
    expect(ignore[ignore.findIndex((l) => l !== "" && !l.startsWith("#"))]).toBe("*");
    expect(ignore).toContain("**/node_modules");
    // Everything a COPY takes from the context is let in.
    for (const stage of dockerfile.stages) {
      for (const copy of stage.copies.filter((c) => c.from === null)) {
        for (const source of copy.sources) {
          const allowed = ignore.some(
            (l) => l === `!${source}` || l === `!${source}/` || (l.endsWith("/") && source.startsWith(l.slice(1))),
          );
          expect(allowed, `.dockerignore lets ${source} in`).toBe(true);
        }
      }
    }
  });
});

describe("the image's app layers, built without Docker", () => {
  it(`weigh at most ${SIZE_BUDGET_MB} MB (measured from the pruned tree)`, () => {
    expect(appBytes).toBeGreaterThan(1e6);
    expect(appBytes / 1e6).toBeLessThanOrEqual(SIZE_BUDGET_MB);
  });

  it("hold only the bundle's external modules and their dependency trees", async () => {
    const externals = [...packageJson.scripts["bundle"]!.matchAll(/--external:(\S+)/g)].map((m) => m[1]!);
    expect(externals.sort()).toEqual(["pino", "pino-pretty", "re2"]);
    const runtimePackage = JSON.parse(await readFile(join(app, "package.json"), "utf8")) as {
      version: string;
      dependencies: Record<string, string>;
    };
    expect(runtimePackage.version).toBe(packageJson.version);
    expect(Object.keys(runtimePackage.dependencies).sort()).toEqual(externals.sort());
    for (const name of externals) expect(existsSync(join(app, "node_modules", name, "package.json")), name).toBe(true);
    // Bundled, so absent: every other production dependency, and every dev dependency.
    for (const name of [
      ...Object.keys(packageJson.dependencies).filter((d) => !externals.includes(d)),
      ...Object.keys(packageJson.devDependencies),
    ]) {
      expect(existsSync(join(app, "node_modules", name)), name).toBe(false);
    }
    // re2 without its sources and build leftovers: the addon only.
    expect(existsSync(join(app, "node_modules/re2/build/Release/re2.node"))).toBe(true);
    expect(existsSync(join(app, "node_modules/re2/vendor"))).toBe(false);
    expect(existsSync(join(app, "node_modules/re2/build/Release/obj.target"))).toBe(false);
    expect(existsSync(join(app, "dist/src"))).toBe(false);
    expect(existsSync(join(app, "src"))).toBe(false);
  });

  it("print the version from the pruned tree", async () => {
    const { stdout } = await run(process.execPath, [join(app, "dist/agent.mjs"), "--version"], {
      env: { PATH: process.env["PATH"] ?? "", ...imageEnv },
    });
    expect(stdout).toBe(`${packageJson.version}\n`);
  });
});

/**
 * The README's Docker commands (its "### Docker" block), as the test runs them: the shell lines
 * (mkdir, cp, the secret files) for real, in a folder standing for the user's checkout; the
 * `docker run` lines emulated with the image's layout, their mounts, --read-only, --tmpfs and
 * --group-add as written.
 */
const readme = readmeBlock("### Docker");
const shellLines = readme.filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("docker "));
const [validateRun, daemonRun] = readme.filter((l) => l.startsWith("docker run")).map(parseDockerRun) as [
  DockerRun,
  DockerRun,
];

/** The shell script that builds the read-only root from $MOUNTS and runs `$@` in it as uid 1000. */
const ISOLATE = String.raw`
set -eu
R="$ROOTFS"
mount -t tmpfs -o size=8m,mode=755 tmpfs "$R"
mkdir -p "$R/usr" "$R/etc" "$R/app" "$R/proc" "$R/dev" "$R/tmp" "$R/run" "$R/var/lib" "$R/home/node"
ln -s usr/bin "$R/bin"; ln -s usr/lib "$R/lib"; ln -s usr/sbin "$R/sbin"; ln -s /run "$R/var/run"
[ -e /usr/lib64 ] && ln -s usr/lib64 "$R/lib64"
printf 'root:x:0:0::/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' > "$R/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$R/etc/hosts"
chown 1000:1000 "$R/home/node"
# The image's state folder (the Dockerfile's mkdir and chown), in the image's own root.
mkdir -p "$R/var/lib/entra-klaxoon-sync" && chown 1000:1000 "$R/var/lib/entra-klaxoon-sync"
ro() { mount --bind "$1" "$2"; mount -o remount,bind,ro "$2"; }
ro /usr "$R/usr"
ro "$APP" "$R/app"
echo "$MOUNTS" | while IFS='|' read -r source destination mode; do
  [ -n "$source" ] || continue
  mkdir -p "$R$destination"
  case "$mode" in
    ro) ro "$source" "$R$destination" ;;
    tmpfs) mount -t tmpfs -o size=64m,mode=1777 tmpfs "$R$destination" ;;
    *) mount --bind "$source" "$R$destination" ;;
  esac
done
mount --rbind /proc "$R/proc"
mount --rbind /dev "$R/dev"
[ "$READ_ONLY" = 1 ] && mount -o remount,ro "$R"
exec chroot --userspec=1000:1000 --groups="$GROUPS_ADD" "$R" /usr/bin/env -C /app "$@"
`;

describe(`the README's docker commands, in the image's layout: ${MODE}`, () => {
  let env: AgentEnvironment;
  /** The user's checkout, where the README's commands run ($PWD). */
  let checkout = "";
  /** Docker's named volumes. */
  let volumes = "";
  const children: ChildProcessWithoutNullStreams[] = [];
  const isWrite = (e: { method: string }) => e.method !== "GET";
  const gid = String(process.getgid?.() ?? 0);
  const CA = "/etc/entra-klaxoon-sync/ca.pem";

  /** A mount's source on this machine: `$PWD/…` in the checkout, a named volume in `volumes`. */
  const hostSource = (source: string) =>
    source.startsWith("$PWD/") ? join(checkout, source.slice(5)) : join(volumes, source);
  /** In rewritten-paths mode, an image path (config, secrets, state, /app) mapped to where it is here. */
  function imagePath(run: DockerRun, path: string): string {
    if (canIsolate) return path;
    for (const mount of run.mounts)
      if (path.startsWith(mount.destination)) return hostSource(mount.source) + path.slice(mount.destination.length);
    return path.replace(/^\/app\//, `${app}/`);
  }

  beforeAll(async () => {
    const tenant = generateTenant({ seed: 7, users: 30, groups: 3 });
    tenant.groups[0] = { ...tenant.groups[0]!, displayName: "Klaxoon PRO", securityEnabled: true };
    env = await startAgentEnvironment({ graph: { tenant } });
    checkout = join(work, "checkout");
    volumes = join(work, "volumes");
    await mkdir(join(checkout, "config"), { recursive: true });
    await copyFile(join(ROOT, "config/config.container.yaml"), join(checkout, "config/config.container.yaml"));

    // The README's shell lines, as written; the secrets reach them in the environment only.
    for (const line of shellLines) {
      await run("sh", ["-c", line], {
        cwd: checkout,
        env: {
          PATH: process.env["PATH"] ?? "",
          GRAPH_CLIENT_SECRET: env.graph.clientSecret,
          KLAXOON_SECRET_TOKEN: env.klaxoon.token,
        },
      });
    }
    // "edit eks/config/config.yaml": the ids and URLs (the emulators'); and, for this test only,
    // the emulators' endpoints and their private CA (the README's NODE_EXTRA_CA_CERTS advice).
    const configPath = join(checkout, "eks/config/config.yaml");
    const config = parseDocument(await readFile(configPath, "utf8"));
    pointAtEmulators(config, env);
    if (!canIsolate) {
      for (const key of [
        ["graph", "credential", "clientSecret", "file"],
        ["klaxoon", "secretToken", "file"],
        ["mappings"],
        ["state", "path"],
      ]) {
        config.setIn(key, imagePath(daemonRun, String(config.getIn(key))));
      }
    }
    await writeFile(configPath, config.toString());
    await copyFile(TEST_CA_CERT_PATH, join(checkout, "eks/config/ca.pem"));
    // A fresh named volume: Docker fills it from the image's folder, owned by the image's user.
    for (const mount of daemonRun.mounts.filter((m) => !m.source.includes("/"))) {
      await mkdir(join(volumes, mount.source), { recursive: true });
      if (canIsolate) await chown(join(volumes, mount.source), 1000, 1000);
    }
    if (!canIsolate) await chmod(join(checkout, "eks/config"), 0o555);
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    if (checkout !== "") await chmod(join(checkout, "eks/config"), 0o755).catch(() => undefined);
    await env?.close();
  });

  /** Starts what `docker run` would start: the image's ENTRYPOINT (or `command`) with the line's mounts and options. */
  function spawnRun(
    dockerRun: DockerRun,
    extraEnv: Record<string, string> = {},
    command?: readonly string[],
  ): ChildProcessWithoutNullStreams {
    const argv = command ?? [...runtime.entrypoint!, ...(dockerRun.args.length > 0 ? dockerRun.args : runtime.cmd!)];
    const vars: Record<string, string> = { ...imageEnv, NODE_EXTRA_CA_CERTS: imagePath(dockerRun, CA), ...extraEnv };
    let child: ChildProcessWithoutNullStreams;
    if (canIsolate) {
      const mounts = [
        ...dockerRun.mounts.map((m) => `${hostSource(m.source)}|${m.destination}|${m.readOnly ? "ro" : "rw"}`),
        ...dockerRun.tmpfs.map((path) => `-|${path}|tmpfs`),
      ].join("\n");
      const groups = ["1000", ...dockerRun.groupAdd.map((g) => (g === "$(id -g)" ? gid : g))].join(",");
      const inner = [
        "-i",
        "PATH=/usr/local/bin:/usr/bin:/bin",
        "HOME=/home/node",
        ...Object.entries(vars).map(([k, v]) => `${k}=${v}`),
        ...argv,
      ];
      child = spawn("unshare", ["-m", "--propagation", "private", "sh", "-c", ISOLATE, "isolate", ...inner], {
        env: {
          PATH: process.env["PATH"] ?? "",
          ROOTFS: join(work, "rootfs"),
          APP: app,
          MOUNTS: mounts,
          READ_ONLY: dockerRun.readOnly ? "1" : "0",
          GROUPS_ADD: groups,
        },
      });
    } else {
      const [, ...rest] = argv;
      child = spawn(
        process.execPath,
        rest.map((a) => imagePath(dockerRun, a)),
        {
          cwd: app,
          env: {
            PATH: process.env["PATH"] ?? "",
            HOME: work,
            ...vars,
            ENTRA_KLAXOON_SYNC_CONFIG: imagePath(dockerRun, vars["ENTRA_KLAXOON_SYNC_CONFIG"] ?? ""),
          },
        },
      );
    }
    children.push(child);
    return child;
  }

  async function runToEnd(dockerRun: DockerRun, extraEnv: Record<string, string> = {}, command?: readonly string[]) {
    await mkdir(join(work, "rootfs"), { recursive: true });
    const child = spawnRun(dockerRun, extraEnv, command);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const code = await new Promise<number | null>((done) => child.on("close", done));
    return { code, stdout, stderr };
  }

  /** The README's one-shot cycle: the validate line plus the state volume, `sync` for `validate`. */
  const syncRun = (...flags: string[]): DockerRun => ({
    ...validateRun,
    mounts: [...validateRun.mounts, ...daemonRun.mounts.filter((m) => m.destination === "/var/lib/entra-klaxoon-sync")],
    args: ["sync", ...flags],
  });

  it("has the commands this test runs: two shell steps, a validate and a detached daemon on the image's defaults", () => {
    expect(readme[0]).toBe("docker build -t entra-klaxoon-sync .");
    expect(shellLines.length).toBeGreaterThanOrEqual(2);
    expect(validateRun).toMatchObject({
      detached: false,
      readOnly: true,
      image: "entra-klaxoon-sync",
      args: ["validate"],
    });
    expect(daemonRun).toMatchObject({ detached: true, readOnly: true, image: "entra-klaxoon-sync", args: [] });
    expect(daemonRun.mounts.map((m) => m.destination).sort()).toEqual([
      "/etc/entra-klaxoon-sync",
      "/run/secrets/entra-klaxoon-sync",
      "/var/lib/entra-klaxoon-sync",
    ]);
    expect(runtime.volumes).toEqual(daemonRun.mounts.filter((m) => !m.readOnly).map((m) => m.destination));
  });

  it("leaves the secret files to their owner and group (mode 0640), never world-readable", async () => {
    for (const file of ["graph-client-secret", "klaxoon-secret-token"]) {
      const info = await stat(join(checkout, "eks/secrets", file));
      expect(info.mode & 0o777, file).toBe(0o640);
    }
  });

  it.runIf(canIsolate)(
    "gives the agent the image's layout: uid 1000, read-only root, only the state volume and /tmp writable",
    async () => {
      const probe = `
      const fs = require("node:fs");
      const writable = (dir) => { try { fs.writeFileSync(dir + "/.probe", ""); fs.rmSync(dir + "/.probe"); return true; } catch { return false; } };
      console.log(JSON.stringify({ uid: process.getuid(), cwd: process.cwd(),
        writable: ["/", "/app", "/etc/entra-klaxoon-sync", "/run/secrets/entra-klaxoon-sync", "/var/lib/entra-klaxoon-sync", "/tmp"].filter(writable) }));`;
      const result = await runToEnd(daemonRun, {}, ["node", "-e", probe]);
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout)).toEqual({
        uid: 1000,
        cwd: "/app",
        writable: ["/var/lib/entra-klaxoon-sync", "/tmp"],
      });
    },
  );

  it("validates the config (the README's validate line: no --config, the image's ENTRA_KLAXOON_SYNC_CONFIG)", async () => {
    const result = await runToEnd(validateRun);
    expect(result.stderr).toBe("");
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining("valid") });
  });

  it.runIf(canIsolate)(
    "needs the README's --group-add: without it, the image's user cannot read the secret files",
    async () => {
      const result = await runToEnd({ ...validateRun, groupAdd: [] });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("EACCES");
    },
  );

  it("runs a full demo cycle: dry run, the cycle, a quiet second cycle; state on the volume, owned by the image's user", async () => {
    const dry = await runToEnd(syncRun("--dry-run"));
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("Dry run: nothing was written.");
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(0);

    const first = await runToEnd(syncRun());
    expect(first.code, first.stderr).toBe(0);
    expect(env.klaxoon.store.countUsers()).toBeGreaterThan(0);
    expect(env.klaxoon.store.countGroups()).toBeGreaterThan(0);

    const writes = env.klaxoon.requestLog.count(isWrite);
    const second = await runToEnd(syncRun());
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("No changes.");
    expect(env.klaxoon.requestLog.count(isWrite)).toBe(writes);

    const volume = hostSource("entra-klaxoon-sync-state");
    if (canIsolate) expect((await stat(join(volume, "state.json"))).uid).toBe(1000);
    // Only the state (its twin, its lock) was written, and no secret is in it.
    for (const file of await readdir(volume)) {
      expect(file).toMatch(/^state\.json/);
      const text = await readFile(join(volume, file), "utf8").catch(() => "");
      expect(text).not.toContain(env.klaxoon.token);
      expect(text).not.toContain(env.graph.clientSecret);
    }
  });

  it("runs the daemon (the README's detached line: the image's CMD); the HEALTHCHECK follows a moved health port", async () => {
    const port = await freePort();
    // The README: moving daemon.health.port, add -e ENTRA_KLAXOON_SYNC_HEALTH_PORT=<port>.
    const configDir = join(checkout, "eks/config");
    await chmod(configDir, 0o755);
    const config = parseDocument(await readFile(join(configDir, "config.yaml"), "utf8"));
    config.setIn(["daemon", "health", "port"], port);
    await writeFile(join(configDir, "config.yaml"), config.toString());
    if (!canIsolate) await chmod(configDir, 0o555);
    const health = { ENTRA_KLAXOON_SYNC_HEALTH_PORT: String(port) };

    const daemon = spawnRun(daemonRun, health);
    const watched = watchAgent(daemon);
    await watched.until(/"msg":"cycle finished"/);
    const check = await runToEnd(daemonRun, health, runtime.healthcheck!);
    expect(check.code, check.stderr).toBe(0);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain("entra_klaxoon_sync_last_success_timestamp_seconds");
    daemon.kill("SIGTERM");
    expect(await watched.exited).toBe(0);

    const down = await runToEnd(daemonRun, health, runtime.healthcheck!);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`port ${port}`);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
