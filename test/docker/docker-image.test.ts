import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseDocument } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CA_CERT_PATH } from "../emulators/graph/test-ca.js";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { dockerDaemon, parseDockerfile, pointAtEmulators, readmeBlock, ROOT } from "./support.js";

/**
 * The real image, built and run by Docker: opt-in (DOCKER_IMAGE_TEST=1), because a cold build
 * compiles re2 and takes minutes; skipped, saying why, without it or without a Docker daemon.
 * It runs the README's "### Docker" lines through `sh`, as written, with only these changes,
 * so the test never touches a user's own container, volume or image: the image tag, the
 * container name and the volume name get a test suffix; `--network host` and the emulators'
 * private CA (`-e NODE_EXTRA_CA_CERTS`, as the README advises) are added so the container
 * reaches the two emulators on this machine's loopback; `-p 8080:8080` is dropped (host
 * network) and the health port moved to a free one (`-e ENTRA_KLAXOON_SYNC_HEALTH_PORT`).
 */
const OPT_IN = process.env["DOCKER_IMAGE_TEST"] === "1";
const daemon = OPT_IN
  ? await dockerDaemon()
  : { ok: false, reason: "set DOCKER_IMAGE_TEST=1 to build and run the real image" };
if (!daemon.ok) console.warn(`[docker-image] skipped: ${daemon.reason}`);
const exec = promisify(execFile);
const SUFFIX = `test-${process.pid}`;
const IMAGE = `entra-klaxoon-sync:${SUFFIX}`;
const NAME = `entra-klaxoon-sync-${SUFFIX}`;
const VOLUME = `entra-klaxoon-sync-state-${SUFFIX}`;
const dockerfile = parseDockerfile();
const readme = readmeBlock("### Docker");

const docker = (...args: string[]) => exec("docker", args, { timeout: 30 * 60_000, maxBuffer: 64 * 1024 * 1024 });

describe.runIf(daemon.ok)("the real image (Docker)", () => {
  let env: AgentEnvironment;
  let checkout = "";
  let port = 0;
  const started = Date.now();

  /** A README line, adapted as the header says, run by sh in the checkout. */
  async function readmeLine(line: string) {
    let adapted = line
      .replace(/ -p 8080:8080/, "")
      .replace(/--name entra-klaxoon-sync /, `--name ${NAME} `)
      .replace(/entra-klaxoon-sync-state:/, `${VOLUME}:`)
      .replace(/ entra-klaxoon-sync( |$)/, ` ${IMAGE}$1`);
    if (adapted.startsWith("docker run ")) {
      adapted = adapted.replace(
        /^docker run /,
        `docker run --network host -e NODE_EXTRA_CA_CERTS=/etc/entra-klaxoon-sync/ca.pem -e ENTRA_KLAXOON_SYNC_HEALTH_PORT=${port} `,
      );
    }
    try {
      const { stdout, stderr } = await exec("sh", ["-c", adapted], {
        cwd: checkout,
        timeout: 5 * 60_000,
        env: { ...process.env, GRAPH_CLIENT_SECRET: env.graph.clientSecret, KLAXOON_SECRET_TOKEN: env.klaxoon.token },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }

  beforeAll(async () => {
    const build = readme.find((l) => l.startsWith("docker build"))!;
    expect(build).toBe("docker build -t entra-klaxoon-sync .");
    await docker("build", "-t", IMAGE, ROOT);
    console.info(`[docker-image] docker build: ${((Date.now() - started) / 1000).toFixed(0)} s`);

    env = await startAgentEnvironment({ graph: { tenant: generateTenant({ seed: 8, users: 20, groups: 2 }) } });
    port = await freePort();
    checkout = await mkdtemp(join(tmpdir(), "eks-docker-image-"));
    await mkdir(join(checkout, "config"));
    await copyFile(join(ROOT, "config/config.container.yaml"), join(checkout, "config/config.container.yaml"));
    for (const line of readme.filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("docker "))) {
      const result = await readmeLine(line);
      expect(result.code, `${line}\n${result.stderr}`).toBe(0);
    }
    const configPath = join(checkout, "eks/config/config.yaml");
    const config = parseDocument(await readFile(configPath, "utf8"));
    pointAtEmulators(config, env);
    config.setIn(["daemon", "health", "port"], port);
    await writeFile(configPath, config.toString());
    await copyFile(TEST_CA_CERT_PATH, join(checkout, "eks/config/ca.pem"));
  }, 40 * 60_000);

  afterAll(async () => {
    await docker("rm", "-f", NAME).catch(() => undefined);
    await docker("volume", "rm", "-f", VOLUME).catch(() => undefined);
    await docker("image", "rm", IMAGE).catch(() => undefined);
    await env?.close();
    if (checkout !== "") await rm(checkout, { recursive: true, force: true });
    console.info(`[docker-image] total: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });

  it("is Node 24 on slim, as the node user, with the OCI labels and the health check", async () => {
    const [inspect] = JSON.parse((await docker("image", "inspect", IMAGE)).stdout) as {
      Size: number;
      Config: { User: string; Labels: Record<string, string>; Healthcheck: { Test: string[] }; Env: string[] };
    }[];
    expect(inspect!.Config.User).toBe("node");
    expect(inspect!.Config.Labels["org.opencontainers.image.version"]).toBe(
      JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")).version,
    );
    expect(inspect!.Config.Healthcheck.Test).toEqual(["CMD", "node", "/app/dist/healthcheck.mjs"]);
    const { stdout } = await docker("run", "--rm", "--entrypoint", "node", IMAGE, "--version");
    expect(stdout.trim()).toBe(`v${dockerfile.globalArgs["NODE_VERSION"]}`);
    // The app's layers: the image minus its base (pulled by the build).
    const base = `node:${dockerfile.globalArgs["NODE_VERSION"]}-${dockerfile.globalArgs["DEBIAN_RELEASE"]}-slim`;
    const [baseInspect] = JSON.parse((await docker("image", "inspect", base)).stdout) as { Size: number }[];
    const appMb = (inspect!.Size - baseInspect!.Size) / 1e6;
    console.info(`[docker-image] image ${(inspect!.Size / 1e6).toFixed(0)} MB, app layers ${appMb.toFixed(1)} MB`);
    expect(appMb).toBeLessThanOrEqual(60);
  });

  it("validates, runs one cycle, then runs as the daemon, as the README says", async () => {
    const [validateLine, daemonLine] = readme.filter((l) => l.startsWith("docker run"));
    const validate = await readmeLine(validateLine!);
    expect(validate.code, validate.stderr).toBe(0);
    // The README's one-shot cycle: the validate line, plus the state volume, sync for validate.
    const sync = await readmeLine(
      validateLine!.replace(
        / entra-klaxoon-sync validate$/,
        " -v entra-klaxoon-sync-state:/var/lib/entra-klaxoon-sync entra-klaxoon-sync sync",
      ),
    );
    expect(sync.code, sync.stderr).toBe(0);
    expect(env.klaxoon.store.countUsers()).toBeGreaterThan(0);

    const detached = await readmeLine(daemonLine!);
    expect(detached.code, detached.stderr).toBe(0);
    let healthy = false;
    for (let i = 0; i < 60 && !healthy; i += 1) {
      healthy = await docker("exec", NAME, "node", "/app/dist/healthcheck.mjs").then(
        () => true,
        () => false,
      );
      if (!healthy) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(healthy).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain("entra_klaxoon_sync_last_success_timestamp_seconds");
    await docker("stop", NAME);
    expect((await docker("inspect", "--format", "{{.State.ExitCode}}", NAME)).stdout.trim()).toBe("0");
  });
});

describe.skipIf(daemon.ok)("the real image (Docker)", () => {
  it.skip(`skipped: ${daemon.reason}`, () => undefined);
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
