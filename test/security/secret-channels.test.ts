import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createPrivateKey } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { runNode, startAgentEnvironment, type AgentEnvironment, type AgentRun } from "../support/agent-environment.js";

/**
 * Known, distinctive secrets go in; every channel the agent writes to comes out and is searched
 * for them (as they are, and base64/base64url/URL-encoded): stdout and stderr of successful,
 * failing and dry runs (logs at trace level), the plan JSON and plan file, the provisioning log,
 * the state directory, the daemon's /metrics, /healthz, /readyz and webhook payloads. The agent
 * runs in a child process, so anything written to the process's own stdout or stderr (not only
 * the logger's) is searched too.
 */
const CLIENT_SECRET = "csec~Zq7Vb3pL9wX2-client-secret-5e1f";
const SECRET_TOKEN = "klx_SECRETtoken_9a8b7c6d5e4f3a2b1c0d";
const CERTIFICATE_PASSWORD = "certPW-7Hq2Lx9Zt4Vn";

const ROOT = resolve(import.meta.dirname, "../..");

/** Each channel that holds a secret, as is or base64/base64url/URL-encoded (or a JWT's parts). */
function leaksOf(secrets: readonly string[], channels: readonly { name: string; text: string }[]): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    const forms = [
      secret,
      Buffer.from(secret).toString("base64"),
      Buffer.from(secret).toString("base64url"),
      encodeURIComponent(secret),
    ];
    if (secret.split(".").length === 3)
      forms.push(
        ...secret
          .split(".")
          .filter((part) => part.length >= 16)
          .slice(1),
      );
    for (const channel of channels) {
      for (const form of forms)
        if (channel.text.includes(form))
          leaks.push(`${channel.name} contains ${secret.slice(0, 12)}… (as ${form === secret ? "is" : "encoded"})`);
    }
  }
  return leaks;
}

describe("secrets never reach an output channel", () => {
  let env: AgentEnvironment;
  let webhook: Server;
  const webhookBodies: string[] = [];
  const channels: { name: string; text: string }[] = [];
  const record = (name: string, run: AgentRun): void => {
    channels.push({ name: `${name} stdout`, text: run.stdout }, { name: `${name} stderr`, text: run.stderr });
  };

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        webhookBodies.push(`${req.url ?? ""}\n${JSON.stringify(req.headers)}\n${body}`);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
    const hookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
    env = await startAgentEnvironment({
      graph: {
        tenant: generateTenant({ seed: 31, users: 12, groups: 2, assignedFraction: 0.7 }),
        clientSecret: CLIENT_SECRET,
      },
      klaxoon: { token: SECRET_TOKEN },
      extraConfig: [
        "log: { level: trace }",
        "provisioningLog: { file: provisioning.jsonl }",
        "daemon:",
        "  intervalMinutes: 60",
        "  health: { host: 127.0.0.1, port: 0 }",
        `  webhook: { url: "${hookUrl}" }`,
      ].join("\n"),
      childProcess: true,
    });
  });
  afterAll(async () => {
    await env.close();
    await new Promise((resolve) => webhook.close(resolve));
  });

  it("successful, dry, failing and daemon runs", { timeout: 120_000 }, async () => {
    const first = await env.runAgent(["sync"]);
    expect(first.code).toBe(0);
    record("sync", first);

    const someone = env.graph.admin.addUser({ givenName: "Dry", surname: "Run" });
    env.graph.admin.assign(someone.id);
    const planFile = join(env.dir, "plan.json");
    const dry = await env.runAgent(["sync", "--dry-run", "--output", "json", "--plan-file", planFile]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(someone.userPrincipalName);
    record("dry run", dry);
    channels.push({ name: "plan file", text: await readFile(planFile, "utf8") });

    // A write Klaxoon refuses (400 is not retried, so the cycle ends at once with a failure).
    env.klaxoon.faults.add({ method: "POST", status: 400 });
    const failing = await env.runAgent(["sync"]);
    expect(failing.code).toBe(4);
    record("Klaxoon 400", failing);
    env.klaxoon.faults.clear();

    env.klaxoon.faults.add({ status: 401 });
    const refused = await env.runAgent(["sync"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/KLAXOON_UNAUTHORIZED|401/);
    record("Klaxoon 401", refused);
    env.klaxoon.faults.clear();

    env.graph.admin.revokeSecrets(env.graph.clientId);
    const badCredential = await env.runAgent(["sync"]);
    expect(badCredential.code).toBe(3);
    record("Graph secret refused", badCredential);
    env.graph.admin.addSecret(env.graph.clientId, CLIENT_SECRET);

    // The daemon: Klaxoon refuses the token, so it quarantines and posts to the webhook.
    env.klaxoon.faults.add({ status: 401 });
    const child = env.spawnAgent(["run"]);
    let stderr = "";
    let stdout = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((done) => child.on("close", done));
    const until = async (check: () => string | undefined): Promise<string> => {
      for (let i = 0; i < 300; i += 1) {
        const found = check();
        if (found !== undefined) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out; daemon stderr:\n${stderr.slice(-3000)}`);
    };
    const url = await until(
      () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*health and metrics listening/.exec(stderr)?.[1],
    );
    await until(() => webhookBodies.find((body) => body.includes("quarantine")));
    for (const path of ["/metrics", "/healthz", "/readyz"])
      channels.push({ name: path, text: await (await fetch(`${url}${path}`)).text() });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    env.klaxoon.faults.clear();
    channels.push({ name: "daemon stdout", text: stdout }, { name: "daemon stderr", text: stderr });
    channels.push(...webhookBodies.map((text, i) => ({ name: `webhook payload ${i + 1}`, text })));
    channels.push({ name: "provisioning log", text: await readFile(join(env.dir, "provisioning.jsonl"), "utf8") });
    for (const file of await readdir(join(env.dir, "state"), { recursive: true })) {
      const text = await readFile(join(env.dir, "state", file), "utf8").catch(() => "");
      channels.push({ name: `state/${file}`, text });
    }

    // Each channel had something to say, so an empty search proves nothing was hidden by silence.
    expect(channels.find((c) => c.name === "/metrics")?.text).toContain("# HELP");
    expect(channels.find((c) => c.name === "provisioning log")?.text).toContain(someone.userPrincipalName);
    expect(channels.some((c) => c.name.startsWith("state/") && c.text.includes("links"))).toBe(true);
    expect(webhookBodies.length).toBeGreaterThan(0);

    const bearerTokens = env.graph.issuedAccessTokens();
    expect(bearerTokens.length).toBeGreaterThan(0);
    expect(leaksOf([CLIENT_SECRET, SECRET_TOKEN, ...bearerTokens], channels)).toEqual([]);
  });

  it("a certificate credential with a password: runs that succeed and one with a wrong password", async () => {
    const certificate = await env.graph.createClientCertificate();
    // The emulator writes the key unencrypted beside the certificate: encrypt it with the password.
    const [keyPem] = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/.exec(
      await readFile(certificate.certificatePath, "utf8"),
    ) ?? [""];
    const certPem = certificate.certificatePem;
    const encryptedKey = createPrivateKey(keyPem).export({
      type: "pkcs8",
      format: "pem",
      cipher: "aes-256-cbc",
      passphrase: CERTIFICATE_PASSWORD,
    });
    const certificatePath = join(env.dir, "agent-cert.pem");
    await writeFile(certificatePath, `${String(encryptedKey)}\n${certPem}\n`);
    const config = await readFile(env.configPath, "utf8");
    const credentialLine = "  credential: { type: clientSecret, clientSecret: { env: GRAPH_CLIENT_SECRET } }";
    expect(config).toContain(credentialLine);
    const certConfigPath = join(env.dir, "config-cert.yaml");
    await writeFile(
      certConfigPath,
      config.replace(
        credentialLine,
        `  credential: { type: clientCertificate, certificatePath: ${JSON.stringify(certificatePath)}, certificatePassword: { env: CERT_PASSWORD } }`,
      ),
    );
    const tokensBefore = env.graph.issuedAccessTokens().length;
    const run = (password: string, ...args: string[]) =>
      runNode(["--import", "tsx", join(ROOT, "src", "main", "bin.ts"), ...args, "--config", certConfigPath], {
        ...process.env,
        NODE_EXTRA_CA_CERTS: env.graph.caCertPath,
        CERT_PASSWORD: password,
      });

    const certChannels: { name: string; text: string }[] = [];
    const ok = await run(CERTIFICATE_PASSWORD, "sync", "--dry-run", "--output", "json");
    expect(ok.code, ok.stderr).toBe(0);
    expect(env.graph.issuedAccessTokens().length).toBeGreaterThan(tokensBefore);
    const wrong = await run(`${CERTIFICATE_PASSWORD}-wrong`, "sync");
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(
      /GRAPH_TOKEN_UNAVAILABLE.*private key could not be read.*graph\.credential\.certificatePassword/,
    );
    certChannels.push(
      { name: "cert dry run stdout", text: ok.stdout },
      { name: "cert dry run stderr", text: ok.stderr },
    );
    certChannels.push(
      { name: "wrong password stdout", text: wrong.stdout },
      { name: "wrong password stderr", text: wrong.stderr },
    );
    expect(leaksOf([CERTIFICATE_PASSWORD, ...env.graph.issuedAccessTokens()], certChannels)).toEqual([]);
  });
});
