import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { abortOnSignals } from "../../src/daemon/schedule/shutdown-signal.js";
import { systemClock } from "../../src/model/index.js";
import { captureLogger } from "./support.js";

describe("abortOnSignals", () => {
  it("aborts on SIGTERM, calls back on a second signal, and removes its listeners", () => {
    const source = new EventEmitter();
    const seconds: string[] = [];
    const log = captureLogger();
    const handle = abortOnSignals(source, { logger: log.logger, onSecondSignal: (name) => seconds.push(name) });
    expect(handle.signal.aborted).toBe(false);
    source.emit("SIGTERM");
    expect(handle.signal.aborted).toBe(true);
    source.emit("SIGINT");
    expect(seconds).toEqual(["SIGINT"]);
    handle.dispose();
    expect(source.listenerCount("SIGTERM") + source.listenerCount("SIGINT")).toBe(0);
    expect(log.messages()).toEqual(["shutdown requested", "second shutdown signal"]);
  });
});

describe("systemClock", () => {
  it("sleeps for real, and wakes at once on abort", async () => {
    const start = Date.now();
    await systemClock.sleep(30);
    expect(Date.now() - start).toBeGreaterThanOrEqual(25);
    const controller = new AbortController();
    const long = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await long;
    const aborted = new AbortController();
    aborted.abort();
    await systemClock.sleep(60_000, aborted.signal);
    expect(Date.now() - start).toBeLessThan(5_000);
  });
});
