import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import type { ConfigError } from "../../src/model/index.js";
import { CLIENT_SECRET_BLOCK, type ConfigYamlParts, configYaml } from "../support/agent-config-yaml.js";
import { configRefusal } from "../support/config-refusal.js";

/** The credential in block style, as the example has it: the positions below are its lines. */
const validYaml = (parts: ConfigYamlParts = {}): string => configYaml({ credential: CLIENT_SECRET_BLOCK, ...parts });
const VALID = validYaml();

let dir: string;
const env = { GRAPH_SECRET: "graph-secret-value" };

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text, "utf8");
  return path;
}

async function configError(text: string, environment: NodeJS.ProcessEnv = env): Promise<ConfigError> {
  return configRefusal(loadConfig(await write("config.yaml", text), environment));
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
    const error = await configError(validYaml({ extra: "deletionGuard:\n  maxDeactivations: many\n" }));
    expect(error.message).toMatch(/config\.yaml:\d+:3: deletionGuard\.maxDeactivations: .*expected number/);
  });

  it("names the file, line and key of an unreadable secret file", async () => {
    const error = await configError(validYaml({ secretToken: "{ file: missing-token.txt }" }));
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
    const error = await configError(validYaml({ tenantUrl: "http://klaxoon.example/scim/v2" }));
    expect(error.message).toContain("klaxoon.tenantUrl: must be https://");
  });

  it("reports a bad expression with its mapping and column", async () => {
    const mappingsPath = await write(
      "m.yaml",
      "users:\n  - target: userName\n    expression: 'Join(\",\", [givenName]'\n",
    );
    const error = await configError(validYaml({ mappingsPath }));
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
    const error = await configError(validYaml({ mappingsPath }));
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/bad\.yaml: mappings\.users\[0\]\.expression: column \d+/);
    expect(lines[1]).toContain("mappings.users[1].target");
    expect(lines[2]).toMatch(/mappings\.users\[2\]\.expression: column 1: .*Lower/);
  });
});
