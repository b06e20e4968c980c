/**
 * The agent behind a forward proxy (a real one, the `proxy` package, on loopback): the token
 * requests, Graph and SCIM all cross it as CONNECT tunnels, and nothing reaches the emulators
 * any other way; NO_PROXY sends a host (or one port of it) direct; the `proxy` key wins over
 * the environment, with its credentials from a secret; a proxy that refuses is named, without
 * its credentials, and is not retried.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenant } from "../fixtures/tenant.js";
import { startAgentEnvironment, type AgentEnvironment } from "../support/agent-environment.js";
import { hostPort, startForwardProxy, type ForwardProxy } from "../support/forward-proxy.js";

const tenant = () => generateTenant({ seed: 3, users: 4 });

describe("outbound proxy from the environment", () => {
  let proxy: ForwardProxy;
  let env: AgentEnvironment;
  const agentEnv: NodeJS.ProcessEnv = {};
  beforeAll(async () => {
    proxy = await startForwardProxy();
    env = await startAgentEnvironment({ graph: { tenant: tenant() }, env: agentEnv });
  });
  afterAll(async () => {
    await env.close();
    await proxy.close();
  });

  it("sends the token requests, Graph and SCIM through it (https_proxy, HTTP_PROXY), and nothing around it", async () => {
    // Either case counts: the lower-case name for https, the upper-case one for http (the Klaxoon emulator).
    Object.assign(agentEnv, { https_proxy: proxy.url, HTTP_PROXY: proxy.url });
    const graphBefore = env.graph.connections();
    const klaxoonBefore = env.klaxoon.connections();
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(env.klaxoon.store.users.size).toBeGreaterThan(0);
    const graph = hostPort(env.graph.url);
    const klaxoon = hostPort(env.klaxoon.url);
    expect(new Set(proxy.connects)).toEqual(new Set([graph, klaxoon]));
    // Every TCP connection either emulator accepted was one of the proxy's tunnels.
    expect(env.graph.connections() - graphBefore).toBe(proxy.connects.filter((c) => c === graph).length);
    expect(env.klaxoon.connections() - klaxoonBefore).toBe(proxy.connects.filter((c) => c === klaxoon).length);
    expect(proxy.plainRequests).toEqual([]);
  });

  it("leaves out what NO_PROXY names: one host:port, then the whole host", async () => {
    const klaxoon = hostPort(env.klaxoon.url);
    proxy.connects.length = 0;
    Object.assign(agentEnv, { NO_PROXY: `example.invalid, ${klaxoon}` });
    const first = await env.runAgent(["test-connection"]);
    expect(first.code, first.stdout).toBe(0);
    expect(proxy.connects.length).toBeGreaterThan(0);
    expect(proxy.connects).not.toContain(klaxoon);

    proxy.connects.length = 0;
    Object.assign(agentEnv, { NO_PROXY: "", no_proxy: "127.0.0.1" });
    const second = await env.runAgent(["test-connection"]);
    expect(second.code, second.stdout).toBe(0);
    expect(proxy.connects).toEqual([]);
  });
});

describe("the proxy key", () => {
  let proxy: ForwardProxy;
  let env: AgentEnvironment;
  beforeAll(async () => {
    proxy = await startForwardProxy({ credentials: "agent:pr0xy-pa55word" });
    env = await startAgentEnvironment({
      graph: { tenant: tenant() },
      extraConfig: `proxy:\n  url: ${proxy.url}\n  credentials: { env: PROXY_CREDENTIALS }\n`,
      // The environment names a proxy that is not there: the key wins.
      env: { PROXY_CREDENTIALS: "agent:pr0xy-pa55word", HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "127.0.0.1:9" },
    });
  });
  afterAll(async () => {
    await env.close();
    await proxy.close();
  });

  it("wins over HTTPS_PROXY and authenticates with its secret credentials, which no output shows", async () => {
    const run = await env.runAgent(["sync"]);
    expect(run.code, run.stderr).toBe(0);
    expect(new Set(proxy.connects)).toEqual(new Set([hostPort(env.graph.url), hostPort(env.klaxoon.url)]));
    expect(run.stdout + run.stderr).not.toContain("pr0xy-pa55word");
    expect(run.stdout + run.stderr).not.toContain(Buffer.from("agent:pr0xy-pa55word").toString("base64"));
  });
});

describe("a proxy that refuses", () => {
  let proxy: ForwardProxy;
  let env: AgentEnvironment;
  beforeAll(async () => {
    proxy = await startForwardProxy({ refuse: true });
    const withCredentials = proxy.url.replace("http://", "http://agent:s3cret-pa55@");
    env = await startAgentEnvironment({
      graph: { tenant: tenant() },
      env: { HTTPS_PROXY: withCredentials, HTTP_PROXY: withCredentials },
    });
  });
  afterAll(async () => {
    await env.close();
    await proxy.close();
  });

  it("is named in test-connection for both sides, without its credentials", async () => {
    const run = await env.runAgent(["test-connection"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      new RegExp(
        `^Graph\\s+FAILED.*proxy ${proxy.url} \\(from HTTPS_PROXY\\) refused to open a tunnel .*HTTP 407`,
        "m",
      ),
    );
    expect(run.stdout).toMatch(
      new RegExp(
        `^Klaxoon\\s+FAILED.*proxy ${proxy.url} \\(from HTTP_PROXY\\) refused to open a tunnel .*HTTP 407`,
        "m",
      ),
    );
    expect(run.stdout + run.stderr).not.toContain("s3cret-pa55");
  });

  it("fails a sync at once with the proxy's name (a refusal is not retried)", async () => {
    const started = Date.now();
    const run = await env.runAgent(["sync"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`proxy ${proxy.url} (from HTTPS_PROXY) refused to open a tunnel`);
    expect(run.stdout + run.stderr).not.toContain("s3cret-pa55");
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
