import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createWebhookNotifier, renderWebhookBody } from "../../src/daemon/observe/notifier.js";
import { healthyState, type QuarantineState } from "../../src/daemon/quarantine/quarantine-state.js";
import { runDaemon } from "../../src/daemon/daemon.js";
import type { DaemonEvent } from "../../src/daemon/observe/events.js";
import { daemonSettings } from "../support/daemon-settings.js";
import { FatalError } from "../../src/model/index.js";
import { captureLogger, failuresResult, heldResult } from "./support.js";
import { createVirtualClock } from "../support/virtual-clock.js";

const SECRET_TOKEN = "kx-secret-token-4f9c2b7e1a";
const CLIENT_SECRET = "graph~client~secret~Q8v2";
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJl";

interface Captured {
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const hook = (url: string, format: "json" | "teams" | "slack" = "json", events?: DaemonEvent["type"][]) =>
  daemonSettings({ webhook: { url, format, timeoutSeconds: 5, ...(events ? { events } : {}) } }).webhook!;

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function webhookServer(status = 200): Promise<{ base: string; captured: Captured[] }> {
  const captured: Captured[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      captured.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, captured };
}

const entered: DaemonEvent = {
  type: "quarantineEntered",
  reason: {
    code: "KLAXOON_UNAUTHORIZED",
    message: `Klaxoon refused Bearer ${SECRET_TOKEN} at https://x.klaxoon.com/scim/v2/Users?token=${SECRET_TOKEN}; id_token ${JWT}`,
  },
  since: "2026-03-01T00:00:00.000Z",
  nextAttemptAt: "2026-03-01T06:00:00.000Z",
};

describe("webhook notifier", () => {
  it.each(["json", "teams", "slack"] as const)("posts %s without secrets", async (format) => {
    const { base, captured } = await webhookServer();
    const notifier = createWebhookNotifier(hook(`${base}/hooks/T000/B000`, format), {
      logger: captureLogger().logger,
      now: () => new Date("2026-03-01T00:00:00Z"),
      secrets: [SECRET_TOKEN, CLIENT_SECRET],
    });
    await notifier.notify(entered);
    expect(captured).toHaveLength(1);
    const hit = captured[0]!;
    expect(hit.url).toBe("/hooks/T000/B000");
    expect(hit.headers["content-type"]).toBe("application/json");
    expect(hit.body).not.toContain(SECRET_TOKEN);
    expect(hit.body).not.toContain(JWT);
    const body = JSON.parse(hit.body) as Record<string, unknown>;
    if (format === "json") {
      expect(body).toMatchObject({
        source: "entra-klaxoon-sync",
        event: { type: "quarantineEntered", reason: { code: "KLAXOON_UNAUTHORIZED" } },
      });
    } else {
      expect(Object.keys(body)).toEqual(["text"]);
      expect(body["text"]).toMatch(/quarantine \(KLAXOON_UNAUTHORIZED\)/);
    }
  });

  it("scrubs even without the list of secrets (bearer tokens, JWTs, query strings)", () => {
    const text = JSON.stringify(renderWebhookBody(entered, "json", new Date()));
    expect(text).not.toContain(SECRET_TOKEN);
    expect(text).not.toContain(JWT);
    expect(text).toContain("Bearer [redacted]");
  });

  it.each<DaemonEvent>([
    { type: "guardHeld", held: 612, deactivations: 612, reason: "612 deactivations above the limit of 500" },
    { type: "cycleFailures", failed: 3, attempted: 40, byStatus: { throttled: 2, conflict: 1 } },
    { type: "quarantineLeft", since: "2026-03-01T00:00:00.000Z" },
    {
      type: "disabled",
      reason: { code: "KLAXOON_UNAUTHORIZED", message: "refused" },
      since: "2026-03-01T00:00:00.000Z",
    },
  ])("renders $type as a Teams/Slack text", (event) => {
    const body = renderWebhookBody(event, "teams", new Date()) as { text: string };
    expect(body.text).toMatch(/^entra-klaxoon-sync: /);
    expect(body.text.length).toBeGreaterThan(30);
  });

  it("posts only the events it is configured for", async () => {
    const { base, captured } = await webhookServer();
    const notifier = createWebhookNotifier(hook(`${base}/hook`, "slack", ["quarantineEntered", "disabled"]), {
      logger: captureLogger().logger,
      now: () => new Date(),
    });
    await notifier.notify({ type: "cycleFailures", failed: 1, attempted: 10, byStatus: { transient: 1 } });
    await notifier.notify(entered);
    expect(captured).toHaveLength(1);
  });

  it("logs a refusing or unreachable webhook without failing and without its URL path", async () => {
    const { base, captured } = await webhookServer(500);
    const log = captureLogger();
    const deps = { logger: log.logger, now: () => new Date() };
    await createWebhookNotifier(hook(`${base}/secret-path-abc`), deps).notify(entered);
    await server!.close();
    await createWebhookNotifier(hook(`${base}/secret-path-abc`), deps).notify(entered);
    expect(captured).toHaveLength(1);
    expect(log.messages()).toEqual(["webhook refused the notification", "webhook unreachable"]);
    expect(JSON.stringify(log.records)).not.toContain("secret-path-abc");
  });

  it("carries what a daemon reports (failures, guard, quarantine) without secrets", async () => {
    const { base, captured } = await webhookServer();
    const clock = createVirtualClock(new Date("2026-03-01T00:00:00Z"));
    const controller = new AbortController();
    const log = captureLogger();
    let n = 0;
    const saved: QuarantineState[] = [];
    await runDaemon({
      settings: daemonSettings({ webhook: { url: `${base}/hook`, format: "json" } }),
      runCycle: async () => {
        n++;
        if (n === 1) return failuresResult(90, 3);
        if (n === 2) return heldResult(700);
        controller.abort();
        throw new FatalError("KLAXOON_UNAUTHORIZED", `Klaxoon refused the Secret Token ${SECRET_TOKEN}`);
      },
      loadQuarantine: async () => healthyState(),
      saveQuarantine: async (state) => void saved.push(state),
      clock,
      logger: log.logger,
      notifier: createWebhookNotifier(hook(`${base}/hook`), {
        logger: log.logger,
        now: () => clock.now(),
        secrets: [SECRET_TOKEN, CLIENT_SECRET],
      }),
      signal: controller.signal,
    });
    const types = captured.map((c) => (JSON.parse(c.body) as { event: { type: string } }).event.type);
    expect(types).toEqual(["cycleFailures", "guardHeld", "quarantineEntered"]);
    for (const c of captured) {
      expect(c.body).not.toContain(SECRET_TOKEN);
      expect(c.body).not.toContain(CLIENT_SECRET);
      expect(c.body).not.toMatch(/user\d+@example\.com/); // no object names, only counts
    }
    expect(saved.at(-1)?.status).toBe("quarantined");
  });
});
