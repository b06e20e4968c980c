/**
 * `proxy`, `graph.tls.caFile` and `klaxoon.tls.caFile` at load: the key wins over the
 * environment, credentials leave the URL and become a Secret, a CA file must hold PEM
 * certificates (one or many) or loading fails naming the file and the key.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, revealSecrets } from "../../src/config/index.js";
import type { ConfigError } from "../../src/model/index.js";
import { type ConfigYamlParts, configYaml as validConfigYaml } from "../support/agent-config-yaml.js";
import { configRefusal } from "../support/config-refusal.js";
import { createPrivateCa, type PrivateCa } from "../support/private-ca.js";

const baseEnv = { GRAPH_SECRET: "graph-secret-value", KLAXOON_TOKEN: "klaxoon-token-value" };

/** The config with both secrets from the environment and the state in a directory of its own. */
function configYaml(parts: ConfigYamlParts = {}): string {
  return validConfigYaml({ secretToken: "{ env: KLAXOON_TOKEN }", statePath: "state/state.json", ...parts });
}

let dir: string;
let ca: PrivateCa;
let other: PrivateCa;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "eks-network-config-"));
  [ca, other] = await Promise.all([createPrivateCa(), createPrivateCa("another CA")]);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function load(yaml: string, env: NodeJS.ProcessEnv = {}) {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, yaml);
  return loadConfig(path, { ...baseEnv, ...env });
}

const loadError = (yaml: string, env: NodeJS.ProcessEnv = {}): Promise<ConfigError> => configRefusal(load(yaml, env));

describe("tls.caFile", () => {
  it("reads one or many PEM certificates for each endpoint", async () => {
    const bundle = join(dir, "bundle.pem");
    await writeFile(bundle, `# our CAs\n${other.caPem}\n${ca.caPem}`);
    const config = await load(
      configYaml({
        graphLines: [`  tls: { caFile: ${JSON.stringify(ca.caFile)} }`],
        klaxoonLines: ["  tls: { caFile: bundle.pem }"],
      }),
    );
    expect(config.graph.tls?.caFile).toBe(ca.caFile);
    expect(config.graph.tls?.ca.trim()).toBe(ca.caPem.trim());
    expect(config.klaxoon.tls?.caFile).toBe(bundle);
    expect(config.klaxoon.tls?.ca.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect((await load(configYaml())).graph.tls).toBeNull();
  });

  it("refuses an unreadable file, naming the file and the key", async () => {
    const error = await loadError(configYaml({ klaxoonLines: ["  tls: { caFile: missing-ca.pem }"] }));
    expect(error.code).toBe("CONFIG_UNREADABLE");
    expect(error.message).toMatch(/:\d+:\d+: klaxoon\.tls\.caFile: .*missing-ca\.pem: cannot read the file \(ENOENT/);
  });

  it.each([
    [
      "a private key",
      "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
      /no -----BEGIN CERTIFICATE----- block/,
    ],
    ["DER bytes", "0\x82\x01\x0a", /not a PEM certificate file/],
    [
      "a damaged certificate",
      "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
      /certificate 1 of 1 cannot be read/,
    ],
  ])("refuses %s, naming the file and the key", async (_what, content, why) => {
    const file = join(dir, "not-pem.pem");
    await writeFile(file, content);
    const error = await loadError(configYaml({ graphLines: [`  tls: { caFile: ${JSON.stringify(file)} }`] }));
    expect(error.code).toBe("CONFIG_TLS_CA_INVALID");
    expect(error.message).toContain(`: graph.tls.caFile: ${file}: `);
    expect(error.message).toMatch(why);
  });
});

describe("proxy", () => {
  it("reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case, the lower-case name first", async () => {
    const config = await load(configYaml(), {
      https_proxy: "http://user:p%40ss@proxy.corp:3128",
      HTTPS_PROXY: "http://ignored:1",
      HTTP_PROXY: "proxy.corp:8080",
      NO_PROXY: "localhost, .corp.example 10.0.0.1",
    });
    expect(config.proxy?.https).toMatchObject({ url: "http://proxy.corp:3128", from: "https_proxy" });
    expect(config.proxy?.https?.credentials?.reveal()).toBe("user:p@ss");
    expect(config.proxy?.http).toMatchObject({ url: "http://proxy.corp:8080", from: "HTTP_PROXY", credentials: null });
    expect(config.proxy?.noProxy).toEqual(["localhost", ".corp.example", "10.0.0.1"]);
    // The credentials are a secret: redacted when printed, scrubbed from outgoing text.
    expect(inspect(config.proxy, { depth: 5 })).not.toContain("p@ss");
    expect(JSON.stringify(config.proxy)).not.toContain("p@ss");
    expect(revealSecrets(config)).toContain("user:p@ss");
    expect((await load(configYaml())).proxy).toBeNull();
  });

  it("the key wins over the environment, with its credentials from a secret", async () => {
    const config = await load(
      configYaml({
        extra: [
          "proxy:",
          "  url: http://proxy.corp:3128",
          "  credentials: { env: PROXY_AUTH }",
          "  noProxy: [graph.local]",
        ],
      }),
      { PROXY_AUTH: "agent:s3cret", HTTPS_PROXY: "http://other:1", NO_PROXY: "*" },
    );
    expect(config.proxy).toMatchObject({ noProxy: ["graph.local"] });
    expect(config.proxy?.https).toMatchObject({ url: "http://proxy.corp:3128", from: "proxy.url" });
    expect(config.proxy?.http).toMatchObject({ url: "http://proxy.corp:3128", from: "proxy.url" });
    expect(config.proxy?.https?.credentials?.reveal()).toBe("agent:s3cret");
  });

  it("refuses credentials written in the URL, credentials without a colon, and a bad proxy variable", async () => {
    const inUrl = await loadError(configYaml({ extra: ["proxy:", "  url: http://agent:s3cret@proxy.corp:3128"] }));
    expect(inUrl.message).toMatch(/proxy\.url.*proxy\.credentials/s);
    expect(inUrl.message).not.toContain("s3cret");
    const noColon = await loadError(
      configYaml({ extra: ["proxy:", "  url: http://proxy.corp:3128", "  credentials: { env: PROXY_AUTH }"] }),
      { PROXY_AUTH: "token-only" },
    );
    expect(noColon.message).toContain(": proxy.credentials: the proxy credentials must read user:password");
    expect(noColon.message).not.toContain("token-only");
    const socks = await loadError(configYaml(), { HTTPS_PROXY: "socks5://proxy.corp:1080" });
    expect(socks.message).toContain("environment variable HTTPS_PROXY: proxy scheme socks5: is not supported");
  });
});
