import { describe, expect, it } from "vitest";
import type { CycleResult } from "../../src/cycle/index.js";
import { createMetrics, initialHealth } from "../../src/daemon/index.js";
import { healthyState, type QuarantineState } from "../../src/daemon/quarantine/quarantine-state.js";
import { readiness } from "../../src/daemon/observe/health-status.js";
import { runDaemon } from "../../src/daemon/daemon.js";
import type { DaemonEvent } from "../../src/daemon/observe/events.js";
import type { Notifier } from "../../src/daemon/observe/notifier.js";
import { daemonSettings } from "../support/daemon-settings.js";
import type { DaemonSettingsInput } from "../../src/config/daemon-schema.js";
import { FatalError } from "../../src/model/index.js";
import { captureLogger, DAY, failuresResult, HOUR, successResult } from "./support.js";
import { createVirtualClock } from "../support/virtual-clock.js";

const T0 = new Date("2026-03-01T00:00:00.000Z");
const MINUTE = 60_000;

interface Harness {
  readonly starts: number[];
  readonly saved: QuarantineState[];
  readonly events: DaemonEvent[];
  maxRunning: number;
}

/** A daemon on virtual time; `cycle(n)` plays the n-th cycle (0-based) and may stop the daemon. */
function startDaemon(
  cycle: (n: number, ctx: { stop: () => void; sleep: (ms: number) => Promise<void> }) => Promise<CycleResult>,
  options: {
    settings?: DaemonSettingsInput;
    initial?: QuarantineState | null;
    stopOn?: DaemonEvent["type"];
    klaxoonRequestsPerSecond?: number;
  } = {},
) {
  const clock = createVirtualClock(T0);
  const controller = new AbortController();
  const log = captureLogger();
  const metrics = createMetrics();
  const health = initialHealth();
  const h: Harness = { starts: [], saved: [], events: [], maxRunning: 0 };
  let running = 0;
  const notifier: Notifier = {
    notify: async (event) => {
      h.events.push(event);
      if (event.type === options.stopOn) controller.abort();
    },
  };
  const done = runDaemon({
    settings: daemonSettings(options.settings ?? {}),
    runCycle: async () => {
      const n = h.starts.length;
      h.starts.push(clock.now().getTime() - T0.getTime());
      running++;
      h.maxRunning = Math.max(h.maxRunning, running);
      try {
        return await cycle(n, { stop: () => controller.abort(), sleep: (ms) => clock.sleep(ms) });
      } finally {
        running--;
      }
    },
    loadQuarantine: async () => options.initial ?? null,
    saveQuarantine: async (state) => void h.saved.push(state),
    clock,
    logger: log.logger,
    notifier,
    metrics,
    health,
    signal: controller.signal,
    ...(options.klaxoonRequestsPerSecond === undefined
      ? {}
      : { klaxoonRequestsPerSecond: options.klaxoonRequestsPerSecond }),
  });
  return { done, h, log, metrics, health, controller, clock };
}

describe("runDaemon schedule", () => {
  it("runs a cycle every 40 minutes, start to start", async () => {
    const { done, h } = startDaemon(async (n, { stop, sleep }) => {
      await sleep(7 * MINUTE);
      if (n === 3) stop();
      return successResult();
    });
    const exit = await done;
    expect(h.starts.map((s) => s / MINUTE)).toEqual([0, 40, 80, 120]);
    expect(exit).toMatchObject({ cycles: 4, abandonedCycle: false, quarantine: { status: "healthy" } });
  });

  it("never overlaps: a slow cycle makes the next one wait, and says so", async () => {
    const { done, h, log } = startDaemon(async (n, { stop, sleep }) => {
      await sleep(n === 0 ? 95 * MINUTE : 5 * MINUTE);
      if (n === 2) stop();
      return successResult();
    });
    await done;
    expect(h.maxRunning).toBe(1);
    expect(h.starts.map((s) => s / MINUTE)).toEqual([0, 95, 135]);
    expect(log.messages()).toContain("cycle ran past the next start: that cycle waited and starts now");
  });

  it("follows a cron expression when one is set", async () => {
    const { done, h } = startDaemon(
      async (n, { stop, sleep }) => {
        await sleep(MINUTE);
        if (n === 2) stop();
        return successResult();
      },
      { settings: { cron: "0,40 * * * *", timezone: "UTC", runOnStart: false } },
    );
    await done;
    expect(h.starts.map((s) => s / MINUTE)).toEqual([40, 60, 100]);
  });
});

describe("runDaemon quarantine", () => {
  it("backs off 6 h, 12 h, 24 h then daily, disables after 28 days and stops trying", async () => {
    const { done, h, health, metrics, log } = startDaemon(
      async () => {
        throw new FatalError(
          "KLAXOON_UNAUTHORIZED",
          "Klaxoon refused the Secret Token (HTTP 401): check klaxoon.secretToken",
        );
      },
      { stopOn: "disabled" },
    );
    const exit = await done;
    const hours = h.starts.map((s) => s / HOUR);
    expect(hours.slice(0, 6)).toEqual([0, 6, 12, 24, 48, 72]);
    expect(hours.at(-1)).toBe(28 * 24);
    expect(exit.quarantine.status).toBe("disabled");
    expect(h.saved.at(-1)?.status).toBe("disabled");
    expect(h.events.filter((e) => e.type === "quarantineEntered")).toHaveLength(1);
    expect(h.events.filter((e) => e.type === "disabled")).toHaveLength(1);
    expect(readiness(health)).toMatchObject({ ready: false });
    expect(await metrics.render()).toContain('entra_klaxoon_sync_quarantine_state{status="disabled"} 1');
    expect(log.messages().some((m) => m.includes("an administrator") || m.includes("reset the quarantine"))).toBe(true);
  });

  it("leaves quarantine after one healthy cycle and returns to the 40-minute rhythm", async () => {
    const { done, h, health } = startDaemon(async (n, { stop }) => {
      if (n < 2) throw new FatalError("GRAPH_UNAUTHORIZED", "Graph refused the client secret");
      if (n === 3) stop();
      return successResult();
    });
    await done;
    expect(h.starts.map((s) => s / MINUTE)).toEqual([0, 360, 720, 760]);
    expect(h.events.map((e) => e.type)).toEqual(["quarantineEntered", "quarantineLeft"]);
    expect(readiness(health).ready).toBe(true);
  });

  it("quarantines by failure ratio and reports failed cycles", async () => {
    const { done, h } = startDaemon(async (n, { stop }) => {
      if (n === 1) stop();
      return failuresResult(5, 15);
    });
    await done;
    expect(h.starts.map((s) => s / HOUR)).toEqual([0, 6]);
    expect(h.events.map((e) => e.type)).toEqual(["cycleFailures", "quarantineEntered", "cycleFailures"]);
    expect(h.saved.at(-1)).toMatchObject({ status: "quarantined", reason: { code: "FAILURE_RATIO" }, failedCycles: 2 });
  });

  it("resumes a saved quarantine at its next retry, not at once", async () => {
    const initial: QuarantineState = {
      ...healthyState(),
      status: "quarantined",
      since: T0.toISOString(),
      reason: { code: "KLAXOON_UNAUTHORIZED", message: "refused" },
      failedCycles: 1,
      nextAttemptAt: new Date(T0.getTime() + 6 * HOUR).toISOString(),
    };
    const { done, h } = startDaemon(
      async (_, { stop }) => {
        stop();
        return successResult();
      },
      { initial },
    );
    await done;
    expect(h.starts).toEqual([6 * HOUR]);
  });

  it("starts disabled without running anything and resolves when stopped", async () => {
    const initial: QuarantineState = {
      ...healthyState(),
      status: "disabled",
      since: T0.toISOString(),
      reason: { code: "KLAXOON_UNAUTHORIZED", message: "refused" },
    };
    const { done, h, controller, health, log } = startDaemon(async () => successResult(), { initial });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const exit = await done;
    expect(h.starts).toEqual([]);
    expect(exit.quarantine.status).toBe("disabled");
    expect(readiness(health).ready).toBe(false);
    expect(log.records.some((r) => r["level"] === 50)).toBe(true);
  });
});

describe("runDaemon shutdown", () => {
  it("on SIGTERM during a cycle, lets it finish, saves and resolves", async () => {
    const { done, h } = startDaemon(async (_, { stop, sleep }) => {
      stop(); // SIGTERM arrives while the cycle runs
      await sleep(10_000);
      return successResult();
    });
    const exit = await done;
    expect(exit).toMatchObject({ cycles: 1, abandonedCycle: false });
    expect(h.starts).toHaveLength(1);
    expect(h.saved.length).toBeGreaterThanOrEqual(1);
    expect(h.saved.at(-1)?.status).toBe("healthy");
  });

  it("abandons a cycle still running at the deadline, saves and resolves", async () => {
    const { done, h, log } = startDaemon(async (_, { stop, sleep }) => {
      stop();
      await sleep(10 * MINUTE);
      return successResult();
    });
    const exit = await done;
    expect(exit).toMatchObject({ cycles: 0, abandonedCycle: true });
    expect(h.saved).toHaveLength(1);
    expect(log.messages().some((m) => m.includes("abandoned"))).toBe(true);
  });

  it("stops promptly while waiting for the next cycle", async () => {
    const { done, h, controller } = startDaemon(async () => successResult());
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const exit = await done;
    expect(exit.cycles).toBeGreaterThanOrEqual(1);
    expect(h.starts.length).toBe(exit.cycles);
  });
});

describe("runDaemon metrics", () => {
  it("records cycles, objects, escrow and last success", async () => {
    const { done, metrics } = startDaemon(async (n, { stop }) => {
      if (n === 1) stop();
      return n === 0 ? successResult(4) : failuresResult(8, 2);
    });
    await done;
    const text = await metrics.render();
    expect(text).toMatch(/entra_klaxoon_sync_objects_total\{kind="user",action="create",outcome="success"\} 12/);
    expect(text).toMatch(/entra_klaxoon_sync_objects_total\{kind="user",action="create",outcome="transient"\} 2/);
    expect(text).toMatch(/entra_klaxoon_sync_escrow_size 2/);
    expect(text).toMatch(/entra_klaxoon_sync_cycle_duration_seconds_count\{outcome="success"\} 1/);
    expect(text).toContain(`entra_klaxoon_sync_last_success_timestamp_seconds ${T0.getTime() / 1000}`);
  });
});

void DAY;

describe("runDaemon interval budget", () => {
  it("warns, in the log and on /readyz, when a cycle takes most of a short interval, and clears the warning once cycles fit", async () => {
    const readyReasons: string[] = [];
    const { done, log, health } = startDaemon(
      async (n, { stop, sleep }) => {
        if (n > 0) readyReasons.push(readiness(health).reason);
        await sleep(n === 0 ? 4.5 * MINUTE : MINUTE);
        if (n === 1) stop();
        return successResult();
      },
      { settings: { intervalMinutes: 5 }, klaxoonRequestsPerSecond: 16 },
    );
    await done;
    const warnings = log.records.filter((r) => r["code"] === "INTERVAL_TOO_SHORT");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      level: 40,
      durationSeconds: 270,
      intervalSeconds: 300,
      suggestedIntervalMinutes: 6,
    });
    expect(String(warnings[0]?.["msg"])).toMatch(
      /^interval too short: the cycle took 4\.5 min: 90% of the 5\.0 min interval/,
    );
    expect(readyReasons[0]).toMatch(/^ok \(warning: the cycle took 4\.5 min/);
    expect(readiness(health)).toEqual({ ready: true, reason: "ok" });
  });
});
