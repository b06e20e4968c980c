import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { scimSettingsFor } from "../../src/main/adapter-settings.js";
import { assessCycleBudget, assessIntervalFloor } from "../../src/daemon/schedule/cycle-budget.js";
import type { ConfigError } from "../../src/model/index.js";
import { CLIENT_SECRET_BLOCK, configYaml } from "../support/agent-config-yaml.js";
import { configRefusal } from "../support/config-refusal.js";

// `klaxoon.requestsPerSecond` end to end: the file, the SCIM client's settings, the daemon's budget.
// (The budget's tests live here with the setting: this change's brief covers test/config/.)

let dir: string;
const env = { GRAPH_SECRET: "graph-secret-value" };

/** The config with `line` (if any) added under `klaxoon:`. */
async function load(line: string): Promise<Awaited<ReturnType<typeof loadConfig>>> {
  const path = join(dir, "config.yaml");
  await writeFile(
    path,
    configYaml({ credential: CLIENT_SECRET_BLOCK, klaxoonLines: line === "" ? [] : [line] }),
    "utf8",
  );
  return loadConfig(path, env);
}

const refusal = (line: string): Promise<ConfigError> => configRefusal(load(line));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "eks-rps-"));
  await writeFile(join(dir, "token.txt"), "klaxoon-token-value\n");
});

describe("klaxoon.requestsPerSecond", () => {
  it("defaults to Klaxoon's 16 a second", async () => {
    const config = await load("");
    expect(config.klaxoon.requestsPerSecond).toBe(16);
    expect(scimSettingsFor(config).requestsPerSecond).toBe(16);
  });

  it('accepts "unlimited", which reaches the SCIM client as no limit', async () => {
    const config = await load("  requestsPerSecond: unlimited");
    expect(config.klaxoon.requestsPerSecond).toBe("unlimited");
    expect(scimSettingsFor(config).requestsPerSecond).toBe("unlimited");
  });

  it("still takes a number up to 1000 and refuses more, zero, or another word", async () => {
    expect((await load("  requestsPerSecond: 1000")).klaxoon.requestsPerSecond).toBe(1000);
    for (const bad of ["1001", "0", "none", "Infinity", "-5"]) {
      const error = await refusal(`  requestsPerSecond: ${bad}`);
      expect(error.message).toContain("requestsPerSecond");
    }
    expect((await refusal("  requestsPerSecond: none")).message).toContain('or "unlimited"');
  });
});

const START = new Date("2026-03-01T00:00:00.000Z");
const at = (minutes: number): Date => new Date(START.getTime() + minutes * 60_000);

describe("the daemon's budget without a rate limit", () => {
  it("needs no time for writes it cannot rate, and does not advise raising a limit there is none of", () => {
    const base = { startedAt: START, nextScheduled: at(5), writes: 9600 };
    // Quick cycle: 9,600 writes would need 10 min at 16/s, but without a limit nothing is owed.
    expect(assessCycleBudget({ ...base, finishedAt: at(1), klaxoonRequestsPerSecond: "unlimited" })).toBeNull();
    const slow = assessCycleBudget({ ...base, finishedAt: at(4.5), klaxoonRequestsPerSecond: "unlimited" });
    expect(slow).toMatchObject({ neededSeconds: null, durationSeconds: 270, suggestedIntervalMinutes: 6 });
    expect(slow?.message).toContain("daemon.intervalMinutes to at least 6");
    expect(slow?.message).not.toContain("requestsPerSecond");
    expect(slow?.message).not.toContain("NaN");
  });

  it("has no listing floor to warn about before the first cycle", () => {
    const input = { intervalMinutes: 1, managedUsers: 1_000_000, managedGroups: 10_000 };
    expect(assessIntervalFloor({ ...input, klaxoonRequestsPerSecond: 16 })).not.toBeNull();
    expect(assessIntervalFloor({ ...input, klaxoonRequestsPerSecond: "unlimited" })).toBeNull();
  });
});
