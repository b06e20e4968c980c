import { describe, expect, it } from "vitest";
import { z } from "zod";
import { cronSchedule, intervalSchedule, scheduleOf } from "../../src/daemon/schedule/schedule.js";
import { DEFAULT_DAEMON_SETTINGS } from "../support/daemon-settings.js";
import { daemonSchema } from "../../src/config/daemon-schema.js";
import { ConfigError } from "../../src/model/index.js";

const d = (iso: string) => new Date(iso);

describe("schedules", () => {
  it("an interval counts start to start", () => {
    expect(intervalSchedule(40).nextAfter(d("2026-01-01T10:05:00Z"))).toEqual(d("2026-01-01T10:45:00Z"));
  });

  it("a cron expression gives the next matching minute strictly after the start", () => {
    const cron = cronSchedule("0,40 * * * *", "UTC");
    expect(cron.nextAfter(d("2026-01-01T10:05:00Z"))).toEqual(d("2026-01-01T10:40:00Z"));
    expect(cron.nextAfter(d("2026-01-01T10:40:00Z"))).toEqual(d("2026-01-01T11:00:00Z"));
    expect(cron.nextAfter(d("2026-01-01T23:59:30Z"))).toEqual(d("2026-01-02T00:00:00Z"));
  });

  it("*/40 in cron is minutes 0 and 40, not every 40 minutes", () => {
    const cron = cronSchedule("*/40 * * * *", "UTC");
    const starts = [d("2026-01-01T10:00:00Z")];
    for (let i = 0; i < 3; i++) starts.push(cron.nextAfter(starts.at(-1)!));
    const gaps = starts.slice(1).map((s, i) => (s.getTime() - starts[i]!.getTime()) / 60_000);
    expect(gaps).toEqual([40, 20, 40]);
  });

  it("supports a seconds field and a time zone", () => {
    expect(cronSchedule("30 0 * * * *", "UTC").nextAfter(d("2026-01-01T10:00:00Z"))).toEqual(d("2026-01-01T10:00:30Z"));
    expect(cronSchedule("0 9 * * *", "Europe/Paris").nextAfter(d("2026-01-01T00:00:00Z"))).toEqual(
      d("2026-01-01T08:00:00Z"),
    );
  });

  it("rejects an invalid expression in the schema and in the constructor", () => {
    expect(daemonSchema.safeParse({ cron: "every 40 minutes" }).success).toBe(false);
    expect(() => cronSchedule("99 * * * *")).toThrow(ConfigError);
  });

  it("uses cron when set, the interval otherwise", () => {
    expect(scheduleOf({ intervalMinutes: 40 }).description).toMatch(/every 40 minutes/);
    expect(scheduleOf({ intervalMinutes: 1 }).description).toBe("every minute, start to start");
    expect(scheduleOf({ intervalMinutes: 40, cron: "0 * * * *" }).description).toMatch(/cron/);
  });
});

describe("daemon settings", () => {
  it("fills every default from an empty object", () => {
    const parsed = daemonSchema.parse({});
    expect(parsed).toMatchObject({
      intervalMinutes: 40,
      runOnStart: true,
      shutdownGraceSeconds: 25,
      quarantine: {
        failureRatio: 0.4,
        minimumFailures: 10,
        retryScheduleHours: [6, 12, 24],
        retryEveryHours: 24,
        giveUpAfterDays: 28,
      },
      health: { host: "0.0.0.0", port: 8080 },
    });
    expect(parsed.webhook).toBeUndefined();
  });

  it("plugs into a config schema under a daemon: key", () => {
    const config = z.strictObject({ daemon: daemonSchema.prefault({}) });
    expect(config.parse({}).daemon).toEqual(DEFAULT_DAEMON_SETTINGS);
    expect(
      config.parse({ daemon: { intervalMinutes: 60, quarantine: { minimumFailures: 50 } } }).daemon.quarantine,
    ).toMatchObject({ minimumFailures: 50, failureRatio: 0.4 });
  });

  it("accepts an https webhook and refuses plain http away from loopback", () => {
    expect(daemonSchema.parse({ webhook: { url: "https://hooks.example.com/x" } }).webhook?.format).toBe("json");
    expect(daemonSchema.safeParse({ webhook: { url: "http://hooks.example.com/x" } }).success).toBe(false);
    expect(daemonSchema.safeParse({ webhook: { url: "http://127.0.0.1:9/x", format: "teams" } }).success).toBe(true);
    expect(daemonSchema.safeParse({ unknownKey: 1 }).success).toBe(false);
  });
});
