import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closestWord, editDistance } from "../../src/config/edit-distance.js";
import { loadConfig } from "../../src/config/load-config.js";
import { configYaml } from "../support/agent-config-yaml.js";
import { configRefusal } from "../support/config-refusal.js";

const GUID = "11111111-1111-1111-1111-111111111111";

/** A valid config; each test breaks one or more lines of it. */
const VALID = configYaml({ tenantId: GUID, clientId: GUID, appId: GUID, secretToken: "{ env: KLAXOON_TOKEN }" });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "eks-config-errors-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function errorLines(text: string, env: NodeJS.ProcessEnv = {}, secrets = true): Promise<string[]> {
  const path = join(dir, "config.yaml");
  await writeFile(path, text);
  const error = await configRefusal(loadConfig(path, env, { secrets }));
  return error.message.split("\n").map((line) => line.replace(`${path}:`, "config.yaml:"));
}

const secrets = { GRAPH_SECRET: "g", KLAXOON_TOKEN: "k" };

describe("config errors say where and what the fix is", () => {
  it("an inline secret: at its key, with the { env } and { file } forms", async () => {
    const lines = await errorLines(VALID.replace("{ env: KLAXOON_TOKEN }", "klx-abc123"), secrets);
    expect(lines).toEqual([
      "config.yaml:9:3: klaxoon.secretToken: a secret is never written in the file: replace the value with " +
        "{ env: NAME } (the environment variable that holds it) or { file: PATH } (a file that holds it, relative to this file)",
    ]);
    expect(lines.join("\n")).not.toContain("klx-abc123");
  });

  it("a missing key: at its parent's line, naming the key to add", async () => {
    const lines = await errorLines(VALID.replace(`  tenantId: ${GUID}\n`, ""), secrets);
    expect(lines).toEqual(["config.yaml:1:1: graph.tenantId: missing: add tenantId under graph (expected string)"]);
  });

  it("an unknown key: at its own line and column, with the key it was probably meant to be", async () => {
    const lines = await errorLines(VALID.replace("  secretToken:", "  concurency: 4\n  secretToken:"), secrets);
    expect(lines).toEqual(['config.yaml:9:3: klaxoon: unknown key "concurency": did you mean "concurrency"?']);
  });

  it("tenant and client ids that are not GUIDs", async () => {
    const text = VALID.replace(`tenantId: ${GUID}`, "tenantId: not-a-guid").replace(
      `clientId: ${GUID}`,
      "clientId: hello",
    );
    expect(await errorLines(text, secrets)).toEqual([
      "config.yaml:2:3: graph.tenantId: expected a GUID such as 00000000-0000-0000-0000-000000000000 (the Directory (tenant) ID on the app registration's Overview page)",
      "config.yaml:3:3: graph.clientId: expected a GUID such as 00000000-0000-0000-0000-000000000000 (the Application (client) ID of the agent's app registration)",
    ]);
  });

  it("every problem at once: all the schema's, then every secret that does not resolve", async () => {
    const broken = VALID.replace(`clientId: ${GUID}`, "clientId: hello")
      .replace("{ env: KLAXOON_TOKEN }", "inline")
      .replace('  path: "state.json"', '  path: "state.json"\n  colour: blue');
    expect(await errorLines(broken, secrets)).toHaveLength(3);
    const unset = await errorLines(VALID, {});
    expect(unset).toEqual([
      "config.yaml:4:53: graph.credential.clientSecret.env: environment variable GRAPH_SECRET is not set (set it, or run validate --no-secrets to check the rest)",
      "config.yaml:9:18: klaxoon.secretToken.env: environment variable KLAXOON_TOKEN is not set (set it, or run validate --no-secrets to check the rest)",
    ]);
  });

  it("a wrong credential type lists the types there are", async () => {
    const lines = await errorLines(VALID.replace("type: clientSecret", "type: clientSecrt"), secrets);
    expect(lines[0]).toMatch(/^config\.yaml:4:17: graph\.credential\.type: .*'clientSecret' \| 'clientCertificate'/);
  });

  it("without secret resolution (validate --no-secrets), everything else is still checked", async () => {
    const path = join(dir, "no-secrets.yaml");
    await writeFile(path, VALID);
    const config = await loadConfig(path, {}, { secrets: false });
    expect(config.klaxoon.secretToken.reveal()).toBe("");
    const lines = await errorLines(VALID.replace('  path: "state.json"', '  pth: "state.json"'), {}, false);
    expect(lines).toEqual([
      "config.yaml:11:1: state.path: missing: add path under state (expected string)",
      'config.yaml:12:3: state: unknown key "pth": did you mean "path"?',
    ]);
  });
});

describe("did you mean", () => {
  it("measures edits and suggests only close words", () => {
    expect(editDistance("concurency", "concurrency")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closestWord("concurency", ["timeoutSeconds", "concurrency", "tls"])).toBe("concurrency");
    expect(closestWord("colour", ["tls", "path"])).toBeUndefined();
  });
});
