import { describe, expect, it } from "vitest";
import { parseQuarantineState } from "../../src/daemon/index.js";
import { evaluateQuarantine } from "../../src/daemon/quarantine/quarantine.js";
import { healthyState, type QuarantineState } from "../../src/daemon/quarantine/quarantine-state.js";
import { verdictOfError, verdictOfResult, type CycleVerdict } from "../../src/daemon/quarantine/cycle-verdict.js";
import { DEFAULT_DAEMON_SETTINGS } from "../support/daemon-settings.js";
import { ConfigError, FatalError } from "../../src/model/index.js";
import { DAY, failuresResult, heldResult, HOUR, successResult } from "./support.js";

const settings = DEFAULT_DAEMON_SETTINGS.quarantine;
const T0 = new Date("2026-03-01T00:00:00.000Z");
const at = (ms: number) => ({
  now: new Date(T0.getTime() + ms),
  nextScheduled: new Date(T0.getTime() + ms + 40 * 60_000),
});
const unauthorized = verdictOfError(
  new FatalError("KLAXOON_UNAUTHORIZED", "Klaxoon refused the Secret Token (HTTP 401)"),
);

describe("entering quarantine", () => {
  it.each([
    ["Klaxoon refuses the token", new FatalError("KLAXOON_UNAUTHORIZED", "refused")],
    ["Graph refuses the credentials", new FatalError("GRAPH_UNAUTHORIZED", "refused")],
    ["Graph refuses the client secret", new FatalError("GRAPH_CREDENTIAL_REFUSED", "refused")],
    ["the target is not SCIM-compliant", new FatalError("KLAXOON_UNEXPECTED_RESPONSE", "404 where 200 was expected")],
    ["the configuration is wrong", new ConfigError("GRAPH_APP_NOT_FOUND", "no such app")],
  ])("is immediate when %s", (_, error) => {
    const decision = evaluateQuarantine(healthyState(), verdictOfError(error), at(0), settings);
    expect(decision.transition).toBe("entered");
    expect(decision.state).toMatchObject({
      status: "quarantined",
      since: T0.toISOString(),
      failedCycles: 1,
      reason: { code: error.code },
    });
    expect(decision.nextCycleAt).toEqual(new Date(T0.getTime() + 6 * HOUR));
  });

  it.each<[string, number, number, boolean]>([
    ["below the minimum count, even at 100%", 9, 0, false],
    ["at the minimum and above the ratio", 10, 5, true],
    ["exactly at the ratio (not above it)", 40, 60, false],
    ["above the ratio, above the minimum", 41, 59, true],
    ["below the ratio", 10, 90, false],
  ])("by ratio: %s", (_, failed, succeeded, quarantined) => {
    const decision = evaluateQuarantine(
      healthyState(),
      verdictOfResult(failuresResult(succeeded, failed)),
      at(0),
      settings,
    );
    expect(decision.state.status).toBe(quarantined ? "quarantined" : "healthy");
    if (quarantined) expect(decision.state.reason?.code).toBe("FAILURE_RATIO");
    else expect(decision.nextCycleAt).toEqual(at(0).nextScheduled);
  });

  it("honours a configured minimum", () => {
    const verdict = verdictOfResult(failuresResult(1, 3));
    expect(evaluateQuarantine(healthyState(), verdict, at(0), settings).state.status).toBe("healthy");
    expect(evaluateQuarantine(healthyState(), verdict, at(0), { ...settings, minimumFailures: 3 }).state.status).toBe(
      "quarantined",
    );
  });

  it("leaves member operations out of the ratio, as Entra leaves reference failures out", () => {
    const result = failuresResult(0, 20);
    const members =
      result.report?.results.map((r) => ({
        ...r,
        operation: { action: "addMembers" as const, kind: "group" as const, object: r.operation.object, members: [] },
      })) ?? [];
    const verdict = verdictOfResult({
      ...result,
      report: result.report && { ...result.report, results: [...members, ...successResult(5).report!.results] },
    });
    expect(verdict).toMatchObject({ kind: "failures", failed: 0, attempted: 5 });
    expect(evaluateQuarantine(healthyState(), verdict, at(0), settings).state.status).toBe("healthy");
  });

  it("does not count a held deletion guard as a failure", () => {
    const decision = evaluateQuarantine(healthyState(), verdictOfResult(heldResult(600)), at(0), settings);
    expect(decision).toMatchObject({ transition: "none", state: { status: "healthy" } });
  });

  it("quarantines other errors only once they repeat, counting from the first", () => {
    const unreachable = verdictOfError(
      new FatalError("GRAPH_TOKEN_UNAVAILABLE", "login.microsoftonline.com unreachable"),
    );
    let state = healthyState();
    for (const hour of [0, 1]) {
      const decision = evaluateQuarantine(state, unreachable, at(hour * HOUR), settings);
      expect(decision.state.status).toBe("healthy");
      state = decision.state;
    }
    const third = evaluateQuarantine(state, unreachable, at(2 * HOUR), settings);
    expect(third.transition).toBe("entered");
    expect(third.state.since).toBe(T0.toISOString());
    expect(third.state.reason?.message).toMatch(/^3 cycles in a row failed/);
    expect(third.nextCycleAt).toEqual(new Date(T0.getTime() + 6 * HOUR));
  });

  it("forgets earlier errors after a healthy cycle", () => {
    const unreachable = verdictOfError(new Error("socket hang up"));
    const one = evaluateQuarantine(healthyState(), unreachable, at(0), settings).state;
    const healed = evaluateQuarantine(one, { kind: "success" }, at(HOUR), settings).state;
    expect(healed).toEqual(healthyState());
  });
});

describe("in quarantine", () => {
  const failAt = (state: QuarantineState, ms: number, verdict: CycleVerdict = unauthorized) =>
    evaluateQuarantine(state, verdict, at(ms), settings);

  it("retries 6 h, 12 h and 24 h after the first failure, then every 24 h, then gives up after 28 days", () => {
    let decision = failAt(healthyState(), 0);
    const retries: number[] = [];
    while (decision.nextCycleAt !== null) {
      const retry = decision.nextCycleAt.getTime() - T0.getTime();
      retries.push(retry / HOUR);
      decision = failAt(decision.state, retry + 5 * 60_000); // each retry takes 5 minutes
    }
    expect(retries.slice(0, 6)).toEqual([6, 12, 24, 48, 72, 96]);
    expect(retries.at(-1)).toBe(28 * 24);
    expect(retries).toHaveLength(3 + 27);
    expect(decision.transition).toBe("disabled");
    expect(decision.state).toMatchObject({
      status: "disabled",
      nextAttemptAt: null,
      since: T0.toISOString(),
      failedCycles: 31,
    });
  });

  it("stays disabled whatever happens next", () => {
    const disabled: QuarantineState = {
      ...healthyState(),
      status: "disabled",
      since: T0.toISOString(),
      reason: { code: "KLAXOON_UNAUTHORIZED", message: "x" },
    };
    expect(evaluateQuarantine(disabled, { kind: "success" }, at(29 * DAY), settings)).toEqual({
      state: disabled,
      transition: "none",
      nextCycleAt: null,
    });
  });

  it("leaves quarantine after one healthy cycle and returns to the normal schedule", () => {
    const entered = failAt(healthyState(), 0).state;
    const left = evaluateQuarantine(entered, verdictOfResult(successResult()), at(6 * HOUR), settings);
    expect(left.transition).toBe("left");
    expect(left.state).toEqual(healthyState());
    expect(left.nextCycleAt).toEqual(at(6 * HOUR).nextScheduled);
  });

  it("leaves quarantine on a held guard or failures below the ratio", () => {
    const entered = failAt(healthyState(), 0).state;
    expect(evaluateQuarantine(entered, verdictOfResult(heldResult(10)), at(6 * HOUR), settings).transition).toBe(
      "left",
    );
    expect(
      evaluateQuarantine(entered, verdictOfResult(failuresResult(90, 10)), at(6 * HOUR), settings).transition,
    ).toBe("left");
  });

  it("reports a change of reason (Entra notifies again then)", () => {
    const entered = failAt(healthyState(), 0).state;
    const graph = verdictOfError(new FatalError("GRAPH_UNAUTHORIZED", "Graph refused"));
    expect(failAt(entered, 6 * HOUR, graph).transition).toBe("reasonChanged");
    expect(failAt(entered, 6 * HOUR).transition).toBe("stayed");
  });

  it("computes the next retry from the clock after a long outage (no catch-up burst)", () => {
    const entered = failAt(healthyState(), 0).state;
    const late = failAt(entered, 50 * HOUR);
    expect(late.nextCycleAt).toEqual(new Date(T0.getTime() + 72 * HOUR));
  });
});

describe("the persisted record", () => {
  it("round-trips through JSON and reads garbage as healthy", () => {
    const entered = evaluateQuarantine(healthyState(), unauthorized, at(0), settings).state;
    expect(parseQuarantineState(JSON.parse(JSON.stringify(entered)))).toEqual(entered);
    expect(parseQuarantineState({ status: "weird" })).toEqual(healthyState());
    expect(parseQuarantineState(undefined)).toEqual(healthyState());
  });
});
