import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { ConfigError } from "../../src/model/index.js";
import { CLIENT_SECRET_BLOCK, configYaml } from "../support/agent-config-yaml.js";

/**
 * Every key whose value is a path: a bad path is a ConfigError that names the config file, the
 * line and the key, then the path (resolved against the config file's directory) and why.
 */
const env = { GRAPH_SECRET: "graph-secret-value" };

interface Parts {
  readonly credential?: readonly string[];
  readonly secretToken?: string;
  readonly mappings?: string;
  readonly state?: string;
  readonly provisioningLog?: string;
}

/** A valid config; each part replaced by a row. Block style, so each key has a line of its own. */
function configText(parts: Parts): string {
  return configYaml({
    credential: parts.credential ?? CLIENT_SECRET_BLOCK,
    secretToken: parts.secretToken,
    mappingsPath: parts.mappings,
    statePath: parts.state ?? "state/state.json",
    extra: ["provisioningLog:", `  file: ${JSON.stringify(parts.provisioningLog ?? "provisioning.jsonl")}`],
  });
}

const certificate = (path: string) => ["    type: clientCertificate", `    certificatePath: ${JSON.stringify(path)}`];

/** key, the error code, and the config with `path` as that key's value. */
const READ_KEYS: readonly (readonly [string, string, (path: string) => Parts])[] = [
  ["mappings", "CONFIG_UNREADABLE", (path) => ({ mappings: path })],
  [
    "klaxoon.secretToken.file",
    "CONFIG_SECRET_UNREADABLE",
    (path) => ({ secretToken: `{ file: ${JSON.stringify(path)} }` }),
  ],
  [
    "graph.credential.clientSecret.file",
    "CONFIG_SECRET_UNREADABLE",
    (path) => ({ credential: ["    type: clientSecret", `    clientSecret: { file: ${JSON.stringify(path)} }`] }),
  ],
  ["graph.credential.certificatePath", "CONFIG_UNREADABLE", (path) => ({ credential: certificate(path) })],
  [
    "graph.credential.certificatePassword.file",
    "CONFIG_SECRET_UNREADABLE",
    (path) => ({
      credential: [...certificate("cert.pem"), `    certificatePassword: { file: ${JSON.stringify(path)} }`],
    }),
  ],
  [
    "graph.credential.tokenFilePath",
    "CONFIG_UNREADABLE",
    (path) => ({ credential: ["    type: workloadIdentity", `    tokenFilePath: ${JSON.stringify(path)}`] }),
  ],
];

const WRITE_KEYS: readonly (readonly [string, (path: string) => Parts])[] = [
  ["state.path", (path) => ({ state: path })],
  ["provisioningLog.file", (path) => ({ provisioningLog: path })],
];

const REASONS = {
  missing: "ENOENT: no such file",
  directory: "EISDIR: is a directory",
  unreadable: "EACCES: permission denied",
  "under a file": "ENOTDIR: a parent is not a directory",
} as const;

/** Relative values, so the rows also show that a path is resolved against the config file's directory. */
const VALUES: Readonly<Record<keyof typeof REASONS, string>> = {
  missing: "no-such-file",
  directory: "a-directory",
  unreadable: "locked.txt",
  "under a file": "token.txt/inside",
};

const asRoot = process.getuid?.() === 0;

let dir: string;
let configPath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "eks-path-keys-"));
  configPath = join(dir, "config.yaml");
  await writeFile(join(dir, "token.txt"), "klaxoon-token-value\n");
  await writeFile(join(dir, "cert.pem"), "-----BEGIN CERTIFICATE-----\n");
  await writeFile(join(dir, "locked.txt"), "secret\n");
  await chmod(join(dir, "locked.txt"), 0o000);
  await mkdir(join(dir, "a-directory"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function load(parts: Parts): Promise<{ readonly text: string; readonly error: unknown }> {
  const text = configText(parts);
  await writeFile(configPath, text);
  return {
    text,
    error: await loadConfig(configPath, env).then(
      () => null,
      (error: unknown) => error,
    ),
  };
}

/** `line:column` of the key holding `value` (its last segment, on the value's line): where the error must point. */
function lineOf(text: string, value: string, key: string): string {
  const lines = text.split("\n");
  const index = lines.findIndex((line) => line.includes(JSON.stringify(value)));
  expect(index, `${value} in the config`).toBeGreaterThanOrEqual(0);
  const column = (lines[index] ?? "").indexOf(`${key.split(".").at(-1) ?? key}:`);
  expect(column, `${key} on the line of ${value}`).toBeGreaterThanOrEqual(0);
  return `${index + 1}:${column + 1}`;
}

function expectKeyError(error: unknown, code: string, expected: string): void {
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).code).toBe(code);
  expect((error as ConfigError).message).toBe(expected);
}

describe("a path-valued key with a bad path names the config file, the line and the key", () => {
  // Root reads a file whatever its mode: the unreadable rows run only as another user.
  const readProblems = asRoot ? (["missing", "directory"] as const) : (["missing", "directory", "unreadable"] as const);
  const readRows = READ_KEYS.flatMap(([key, code, parts]) =>
    readProblems.map((problem) => [key, problem, code, parts] as const),
  );
  it.each(readRows)("%s, %s", async (key, problem, code, parts) => {
    const value = VALUES[problem];
    const { text, error } = await load(parts(value));
    expectKeyError(
      error,
      code,
      `${configPath}:${lineOf(text, value, key)}: ${key}: ${join(dir, value)}: cannot read the file (${REASONS[problem]})`,
    );
  });

  it.each(WRITE_KEYS)("%s, directory", async (key, parts) => {
    const { text, error } = await load(parts(VALUES.directory));
    expectKeyError(
      error,
      "CONFIG_UNWRITABLE",
      `${configPath}:${lineOf(text, VALUES.directory, key)}: ${key}: ${join(dir, VALUES.directory)}: cannot write the file (${REASONS.directory})`,
    );
  });

  // The provisioning log's stream creates no directory: it would fail mid-cycle, so it fails here.
  it.each([
    ["in a missing directory", "no-such-dir/provisioning.jsonl", REASONS.missing],
    ["under a file", VALUES["under a file"], REASONS["under a file"]],
  ] as const)("provisioningLog.file, %s", async (_where, value, reason) => {
    const { text, error } = await load({ provisioningLog: value });
    expectKeyError(
      error,
      "CONFIG_UNWRITABLE",
      `${configPath}:${lineOf(text, value, "provisioningLog.file")}: provisioningLog.file: ${join(dir, value)}: cannot write the file (${reason})`,
    );
  });
});

describe("a path-valued key with a path that is fine at load", () => {
  it.each([
    ["state.path in a directory not made yet (the state file creates it)", { state: "not-yet/state.json" }],
    // A state directory that became a file is an operational fault, reported by the state file and quarantined by the daemon (test/reliability).
    ["state.path under a file", { state: VALUES["under a file"] }],
    ["provisioningLog.file not written yet", { provisioningLog: "new.jsonl" }],
  ] as const)("%s loads", async (_what, parts) => {
    expect((await load(parts)).error).toBeNull();
  });

  it("resolves the paths it checked against the config file's directory", async () => {
    await writeFile(join(dir, "token"), "jwt\n");
    await writeFile(
      configPath,
      configText({ credential: ["    type: workloadIdentity", '    tokenFilePath: "token"'] }),
    );
    const config = await loadConfig(configPath, env);
    expect(config.graph.credential).toEqual({ type: "workloadIdentity", tokenFilePath: join(dir, "token") });
    expect(config.state.path).toBe(join(dir, "state", "state.json"));
    expect(config.provisioningLog.file).toBe(join(dir, "provisioning.jsonl"));
  });
});
