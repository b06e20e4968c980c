import { describe, expect, it } from "vitest";
import { assessCycleBudget, assessIntervalFloor } from "../../src/daemon/schedule/cycle-budget.js";

const START = new Date("2026-03-01T00:00:00.000Z");
const at = (minutes: number): Date => new Date(START.getTime() + minutes * 60_000);

describe("assessCycleBudget", () => {
  it("says nothing while the cycle fits in 80% of its interval", () => {
    expect(
      assessCycleBudget({
        startedAt: START,
        finishedAt: at(3.9),
        nextScheduled: at(5),
        writes: 100,
        klaxoonRequestsPerSecond: 16,
      }),
    ).toBeNull();
  });

  it("warns when the cycle took more than 80% of the interval, naming both and a longer interval", () => {
    const warning = assessCycleBudget({
      startedAt: START,
      finishedAt: at(4.5),
      nextScheduled: at(5),
      writes: 10,
      klaxoonRequestsPerSecond: 16,
    });
    expect(warning).toMatchObject({
      durationSeconds: 270,
      intervalSeconds: 300,
      share: 0.9,
      suggestedIntervalMinutes: 6,
    });
    expect(warning?.message).toContain("took 4.5 min");
    expect(warning?.message).toContain("5.0 min interval");
    expect(warning?.message).toContain("daemon.intervalMinutes to at least 6");
    expect(warning?.message).toContain("klaxoon.requestsPerSecond");
  });

  it("warns when the plan's writes need more than the interval at the rate budget, even if the cycle was quick (writes deferred)", () => {
    // 9,600 writes at 16 requests/s need 600 s: twice a 5-minute interval.
    const warning = assessCycleBudget({
      startedAt: START,
      finishedAt: at(1),
      nextScheduled: at(5),
      writes: 9600,
      klaxoonRequestsPerSecond: 16,
    });
    expect(warning).toMatchObject({ neededSeconds: 600, share: 2, suggestedIntervalMinutes: 13 });
    expect(warning?.message).toContain("9600 writes need 10.0 min at 16 requests/s");
  });

  it("without a rate budget, judges by the duration alone", () => {
    expect(assessCycleBudget({ startedAt: START, finishedAt: at(1), nextScheduled: at(5), writes: 9600 })).toBeNull();
  });

  it("takes the interval from the schedule's next start (a cron gap works the same)", () => {
    expect(assessCycleBudget({ startedAt: START, finishedAt: at(30), nextScheduled: at(40), writes: 0 })).toBeNull();
    expect(
      assessCycleBudget({ startedAt: START, finishedAt: at(30), nextScheduled: at(20), writes: 0 })
        ?.suggestedIntervalMinutes,
    ).toBe(38);
  });
});

describe("assessIntervalFloor", () => {
  it("says nothing when reading Klaxoon fits easily in the interval", () => {
    expect(
      assessIntervalFloor({
        intervalMinutes: 5,
        managedUsers: 10_000,
        managedGroups: 50,
        klaxoonRequestsPerSecond: 16,
      }),
    ).toBeNull();
  });

  it("warns when listing the last known accounts and groups alone takes more than 80% of the interval", () => {
    // 200,000 accounts and 100 groups: 2,001 pages of 100, 125 s at 16 requests/s; 80% of 2 minutes is 96 s.
    const warning = assessIntervalFloor({
      intervalMinutes: 2,
      managedUsers: 200_000,
      managedGroups: 100,
      klaxoonRequestsPerSecond: 16,
    });
    expect(warning).toMatchObject({ floorSeconds: 2001 / 16, suggestedIntervalMinutes: 3 });
    expect(warning?.message).toContain("200000 accounts and 100 groups");
    expect(warning?.message).toContain("daemon.intervalMinutes to at least 3");
  });

  it("a higher rate budget lowers the floor", () => {
    expect(
      assessIntervalFloor({
        intervalMinutes: 2,
        managedUsers: 200_000,
        managedGroups: 100,
        klaxoonRequestsPerSecond: 32,
      }),
    ).toBeNull();
  });
});
