/**
 * The webhook behind the outbound proxy (a real forward proxy on loopback): posted through a
 * CONNECT tunnel, sent direct when NO_PROXY names its host, and a refusing proxy logged by its
 * URL, never its credentials or the webhook's path.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createWebhookNotifier } from "../../src/daemon/observe/notifier.js";
import type { DaemonEvent } from "../../src/daemon/observe/events.js";
import type { ConnectionSettings, ProxyServer } from "../../src/net/index.js";
import { captureLogger } from "../daemon/support.js";
import { daemonSettings } from "../support/daemon-settings.js";
import { hostPort, startForwardProxy, type ForwardProxy } from "../support/forward-proxy.js";

const event: DaemonEvent = {
  type: "quarantineEntered",
  reason: { code: "KLAXOON_UNAUTHORIZED", message: "refused" },
  since: "2026-03-01T00:00:00.000Z",
  nextAttemptAt: "2026-03-01T06:00:00.000Z",
};

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function receiver(): Promise<{ url: string; posts: string[] }> {
  const posts: string[] = [];
  const server: Server = createServer((req, res) => {
    posts.push(req.url ?? "");
    req.resume().on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/secret-path`, posts };
}

async function proxy(options: { refuse?: boolean } = {}): Promise<ForwardProxy> {
  const started = await startForwardProxy(options);
  closers.push(() => started.close());
  return started;
}

function through(server: ProxyServer, noProxy: readonly string[] = []): ConnectionSettings {
  return { name: "webhook", proxy: { https: server, http: server, noProxy }, ca: null, caKey: null, urlKey: null };
}

const hook = (url: string) => daemonSettings({ webhook: { url, format: "json", timeoutSeconds: 5 } }).webhook!;

describe("webhook through the outbound proxy", () => {
  it("posts through a CONNECT tunnel", async () => {
    const [target, forward] = [await receiver(), await proxy()];
    const { logger, records } = captureLogger();
    const connection = through({ url: forward.url, authorization: null, from: "HTTP_PROXY" });
    await createWebhookNotifier(hook(target.url), { logger, now: () => new Date(), connection }).notify(event);
    expect(target.posts).toEqual(["/hooks/T000/secret-path"]);
    expect(forward.connects).toEqual([hostPort(target.url)]);
    expect(records.filter((r) => r["level"] === 40)).toEqual([]);
  });

  it("goes direct to a host NO_PROXY names", async () => {
    const [target, forward] = [await receiver(), await proxy()];
    const connection = through({ url: forward.url, authorization: null, from: "HTTP_PROXY" }, [
      "localhost",
      "127.0.0.1",
    ]);
    const { logger } = captureLogger();
    await createWebhookNotifier(hook(target.url), { logger, now: () => new Date(), connection }).notify(event);
    expect(target.posts).toHaveLength(1);
    expect(forward.connects).toEqual([]);
  });

  it("logs a refusing proxy by its URL, without its credentials or the webhook's path", async () => {
    const [target, forward] = [await receiver(), await proxy({ refuse: true })];
    const authorization = `Basic ${Buffer.from("agent:s3cret").toString("base64")}`;
    const connection = through({ url: forward.url, authorization, from: "proxy.url" });
    const { logger, records } = captureLogger();
    await createWebhookNotifier(hook(target.url), { logger, now: () => new Date(), connection }).notify(event);
    expect(target.posts).toEqual([]);
    const warning = records.find((r) => r["msg"] === "webhook unreachable");
    expect(String(warning?.["reason"])).toContain(`proxy ${forward.url} (from proxy.url) refused to open a tunnel`);
    const logged = JSON.stringify(records);
    expect(logged).not.toContain("s3cret");
    expect(logged).not.toContain(authorization.slice(6));
    expect(logged).not.toContain("secret-path");
  });
});
