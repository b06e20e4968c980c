/**
 * Does a cycle fit its interval? Entra runs every ~40 minutes whatever the tenant; here the
 * interval is the administrator's, so the daemon says when it is too short: when the cycle took,
 * or by the Klaxoon rate budget needed, more than a share of the time until the next start.
 */

/** `klaxoon.requestsPerSecond`: a rate, or no client-side limit (nothing to budget then). */
export type KlaxoonRate = number | "unlimited";

/** Above this share of the interval, the next cycle is at risk of starting late. */
export const CYCLE_BUDGET_SHARE = 0.8;

export interface CycleBudgetInput {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The next start the schedule gave for this cycle: the time it had. */
  readonly nextScheduled: Date;
  /** Writes the cycle's plan asked for (done, failed or deferred alike). */
  readonly writes: number;
  /** Klaxoon's rate budget (`klaxoon.requestsPerSecond`); unknown when absent, none when unlimited. */
  readonly klaxoonRequestsPerSecond?: KlaxoonRate | undefined;
}

export interface CycleBudgetWarning {
  readonly durationSeconds: number;
  readonly intervalSeconds: number;
  /** Writes ÷ rate budget: how long the plan's writes need at least, null without a budget. */
  readonly neededSeconds: number | null;
  /** The larger of the two, as a share of the interval. */
  readonly share: number;
  /** An interval that would leave the cycle within the budget share. */
  readonly suggestedIntervalMinutes: number;
  readonly message: string;
}

export function assessCycleBudget(
  input: CycleBudgetInput,
  budgetShare: number = CYCLE_BUDGET_SHARE,
): CycleBudgetWarning | null {
  const intervalSeconds = (input.nextScheduled.getTime() - input.startedAt.getTime()) / 1000;
  if (intervalSeconds <= 0) return null;
  const durationSeconds = (input.finishedAt.getTime() - input.startedAt.getTime()) / 1000;
  const rate = finiteRate(input.klaxoonRequestsPerSecond);
  const neededSeconds = rate === null ? null : input.writes / rate;
  const longest = Math.max(durationSeconds, neededSeconds ?? 0);
  const share = longest / intervalSeconds;
  if (share <= budgetShare) return null;
  const suggestedIntervalMinutes = Math.ceil(longest / budgetShare / 60);
  // The rate budget is named when it, not the time taken, is what overruns (writes deferred or held).
  const needed =
    neededSeconds === null || neededSeconds <= durationSeconds
      ? ""
      : `, its ${input.writes} writes need ${minutes(neededSeconds)} at ${rate} requests/s`;
  // Without a rate limit there is no rate to raise: the interval is the only advice.
  const raise = rate === null ? "" : ", or raise klaxoon.requestsPerSecond if Klaxoon allows it";
  const message =
    `the cycle took ${minutes(durationSeconds)}${needed}: ${Math.round(share * 100)}% of the ${minutes(intervalSeconds)} interval, ` +
    `so cycles may start late; set daemon.intervalMinutes to at least ${suggestedIntervalMinutes}${raise}`;
  return { durationSeconds, intervalSeconds, neededSeconds, share, suggestedIntervalMinutes, message };
}

/** The budget in requests a second, or null when there is none (absent, unlimited, not positive). */
function finiteRate(rate: KlaxoonRate | undefined): number | null {
  return typeof rate === "number" && Number.isFinite(rate) && rate > 0 ? rate : null;
}

function minutes(seconds: number): string {
  return seconds < 60 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
}

export interface IntervalFloorInput {
  readonly intervalMinutes: number;
  /** Accounts and groups the state file links (the last known object count). */
  readonly managedUsers: number;
  readonly managedGroups: number;
  readonly klaxoonRequestsPerSecond: KlaxoonRate;
  /** Resources per Klaxoon listing page (the agent asks for 100 unless the server says less). */
  readonly pageSize?: number;
}

export interface IntervalFloorWarning {
  readonly floorSeconds: number;
  readonly suggestedIntervalMinutes: number;
  readonly message: string;
}

/**
 * Checked at start, before any cycle: the periodic full reconciliation reads everything Klaxoon
 * holds (a page per 100 accounts and groups) at the rate budget, so that alone takes a known
 * time; an interval whose budget share is below it cannot be kept by that cycle even when
 * nothing changed (delta cycles in between read only changed objects). Without a rate limit
 * the reading has no known floor: nothing to warn about before the first cycle (the cycle
 * budget still warns from the time cycles actually take).
 */
export function assessIntervalFloor(
  input: IntervalFloorInput,
  budgetShare: number = CYCLE_BUDGET_SHARE,
): IntervalFloorWarning | null {
  const rate = finiteRate(input.klaxoonRequestsPerSecond);
  if (rate === null) return null;
  const pageSize = input.pageSize ?? 100;
  const pages = Math.ceil(input.managedUsers / pageSize) + Math.ceil(input.managedGroups / pageSize);
  const floorSeconds = pages / rate;
  if (floorSeconds <= input.intervalMinutes * 60 * budgetShare) return null;
  const suggestedIntervalMinutes = Math.ceil(floorSeconds / budgetShare / 60);
  const message =
    `the full reconciliation's reading of the ${input.managedUsers} accounts and ${input.managedGroups} groups ` +
    `Klaxoon holds takes at least ${minutes(floorSeconds)} at ${rate} requests/s, ` +
    `more than ${Math.round(budgetShare * 100)}% of the ${input.intervalMinutes}-minute interval; ` +
    `set daemon.intervalMinutes to at least ${suggestedIntervalMinutes}, ` +
    "or raise klaxoon.requestsPerSecond if Klaxoon allows it";
  return { floorSeconds, suggestedIntervalMinutes, message };
}
