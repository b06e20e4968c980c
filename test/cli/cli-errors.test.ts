import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runNode, type AgentRun } from "../support/agent-environment.js";

const ROOT = resolve(import.meta.dirname, "../..");

function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<AgentRun> {
  return runNode(["--import", "tsx", join(ROOT, "src", "main", "bin.ts"), ...args], {
    PATH: process.env["PATH"],
    ...env,
  });
}

const VALID = `graph:
  tenantId: 22222222-2222-2222-2222-222222222222
  clientId: 33333333-3333-3333-3333-333333333333
  credential: { type: clientSecret, clientSecret: { env: GRAPH_SECRET } }
app:
  appId: 11111111-1111-1111-1111-111111111111
klaxoon:
  tenantUrl: https://klaxoon.example/scim/v2
  secretToken: { file: token.txt }
mappings: ${JSON.stringify(join(ROOT, "config", "klaxoon.mappings.yaml"))}
state:
  path: state.json
`;

let dir: string;
const secrets = { GRAPH_SECRET: "s3cr3t-graph-value" };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "eks-cli-"));
  await writeFile(join(dir, "token.txt"), "s3cr3t-klaxoon-token\n");
});

async function configFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe("the CLI", () => {
  it("prints its version and its help", async () => {
    const version = await cli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: entra-klaxoon-sync <command>");
  });

  it("validates a good config offline, without printing secrets", async () => {
    const run = await cli(["validate", "--config", await configFile("ok.yaml", VALID)], secrets);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("valid");
    expect(run.stdout + run.stderr).not.toMatch(/s3cr3t/);
  });

  it.each([
    [
      "a missing key",
      VALID.replace("  clientId: 33333333-3333-3333-3333-333333333333\n", ""),
      /ok-missing\.yaml:1:1: graph\.clientId: missing: add clientId under graph \(expected string\)/,
    ],
    [
      "a wrong type",
      `${VALID}deletionGuard:\n  maxDeactivations: "many"\n`,
      /deletionGuard\.maxDeactivations: .*expected number/,
    ],
    [
      "an unreadable secret file",
      VALID.replace("file: token.txt", "file: nope.txt"),
      /ok-missing\.yaml:9:18: klaxoon\.secretToken\.file: .*nope\.txt: cannot read the file \(ENOENT: no such file\)/,
    ],
    [
      "a mappings path that is a directory",
      VALID.replace(/mappings: .*\n/, 'mappings: "/"\n'),
      /ok-missing\.yaml:10:1: mappings: \/: cannot read the file \(EISDIR: is a directory\)/,
    ],
    [
      "a provisioning log in a missing directory",
      `${VALID}provisioningLog:\n  file: no-such-dir/records.jsonl\n`,
      /ok-missing\.yaml:14:3: provisioningLog\.file: .*no-such-dir\/records\.jsonl: cannot write the file \(ENOENT: no such file\)/,
    ],
  ])("exits 2 with a clear message for %s", async (_, text, message) => {
    const run = await cli(["sync", "--config", await configFile("ok-missing.yaml", text)], secrets);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user's mistake
  });

  it("exits 2 for an unknown command and for a config file that does not exist", async () => {
    expect((await cli(["frobnicate"])).code).toBe(2);
    const missing = await cli(["validate", "--config", join(dir, "absent.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("absent.yaml: cannot read the file (ENOENT: no such file)");
  });
});
