import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { ConfigError } from "../../src/model/index.js";

const VALID = `graph:
  tenantId: 22222222-2222-2222-2222-222222222222
  clientId: 33333333-3333-3333-3333-333333333333
  credential:
    type: clientSecret
    clientSecret: { env: GRAPH_SECRET }
app:
  appId: 11111111-1111-1111-1111-111111111111
klaxoon:
  tenantUrl: https://klaxoon.example/scim/v2
  secretToken: { file: token.txt }
mappings: ${JSON.stringify(join(process.cwd(), "config", "klaxoon.mappings.yaml"))}
state:
  path: state.json
`;

let dir: string;
const env = { GRAPH_SECRET: "graph-secret-value" };

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text, "utf8");
  return path;
}

async function configError(text: string, environment: NodeJS.ProcessEnv = env): Promise<ConfigError> {
  const path = await write("config.yaml", text);
  const error = await loadConfig(path, environment).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "eks-config-"));
  await write("token.txt", "klaxoon-token-value\n");
});

describe("loadConfig", () => {
  it("loads the example-shaped config, resolves secrets from env and files, applies defaults", async () => {
    const config = await loadConfig(await write("config.yaml", VALID), env);
    expect(config.graph.endpoint).toBe("https://graph.microsoft.com");
    expect(config.graph.authorityHost).toBe("https://login.microsoftonline.com");
    expect(config.klaxoon.secretToken.reveal()).toBe("klaxoon-token-value");
    expect(config.klaxoon.requestsPerSecond).toBe(16);
    expect(config.graph.requestTimeoutSeconds).toBe(60);
    expect(config.graph.maxRetries).toBe(5);
    expect(config.mappings.users.matchingPaths).toEqual(["userName"]);
    expect(config.state.path).toBe(join(dir, "state.json"));
    // Secrets never serialise.
    expect(JSON.stringify(config)).not.toContain("klaxoon-token-value");
    expect(JSON.stringify(config)).not.toContain("graph-secret-value");
  });

  it("names the file, line and key of a missing key", async () => {
    const error = await configError(VALID.replace("  clientId: 33333333-3333-3333-3333-333333333333\n", ""));
    expect(error.message).toMatch(
      /config\.yaml:1:1: graph\.clientId: missing: add clientId under graph \(expected string\)/,
    );
  });

  it("names the key and expected type of a wrong type", async () => {
    const error = await configError(`${VALID}deletionGuard:\n  maxDeactivations: many\n`);
    expect(error.message).toMatch(/config\.yaml:\d+:3: deletionGuard\.maxDeactivations: .*expected number/);
  });

  it("names the file, line and key of an unreadable secret file", async () => {
    const error = await configError(VALID.replace("file: token.txt", "file: missing-token.txt"));
    expect(error.code).toBe("CONFIG_SECRET_UNREADABLE");
    expect(error.message).toBe(
      `${join(dir, "config.yaml")}:11:18: klaxoon.secretToken.file: ${join(dir, "missing-token.txt")}: cannot read the file (ENOENT: no such file)`,
    );
  });

  it("names the file, line and key of a missing environment variable", async () => {
    const error = await configError(VALID, {});
    expect(error.message).toBe(
      `${join(dir, "config.yaml")}:6:21: graph.credential.clientSecret.env: environment variable GRAPH_SECRET is not set (set it, or run validate --no-secrets to check the rest)`,
    );
  });

  it("refuses a plain-http Tenant URL that is not loopback", async () => {
    const error = await configError(VALID.replace("https://klaxoon.example", "http://klaxoon.example"));
    expect(error.message).toContain("klaxoon.tenantUrl: must be https://");
  });

  it("reports a bad expression with its mapping and column", async () => {
    const mappingsPath = await write(
      "m.yaml",
      "users:\n  - target: userName\n    expression: 'Join(\",\", [givenName]'\n",
    );
    const error = await configError(VALID.replace(/mappings: .*\n/, `mappings: ${mappingsPath}\n`));
    expect(error.message).toMatch(/m\.yaml: mappings\.users\[0\]\.expression: .*column \d+/);
  });

  it("reports invalid YAML with its position", async () => {
    const error = await configError("graph: [unclosed\n");
    expect(error.code).toBe("CONFIG_YAML");
    expect(error.message).toMatch(/config\.yaml:\d+:\d+: invalid YAML/);
  });
});

describe("loadConfig, every problem at once", () => {
  it("reports each bad expression and target of a mappings file in one error", async () => {
    const mappingsPath = await write(
      "bad.yaml",
      [
        "users:",
        "  - { target: userName, expression: 'ToLower([userPrincipalName]' }",
        "  - { target: 'name..givenName', direct: givenName }",
        "  - { target: externalId, expression: 'Lower([mailNickname])' }",
        "",
      ].join("\n"),
    );
    const error = await configError(VALID.replace(/mappings: .*\n/, `mappings: ${mappingsPath}\n`));
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/bad\.yaml: mappings\.users\[0\]\.expression: column \d+/);
    expect(lines[1]).toContain("mappings.users[1].target");
    expect(lines[2]).toMatch(/mappings\.users\[2\]\.expression: column 1: .*Lower/);
  });
});
