import { NO_PROTECTION } from "../../src/model/index.js";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import {
  runCycle,
  type CycleSettings,
  type IncrementalDirectoryReader,
  type CycleState,
} from "../../src/cycle/index.js";
import { runDaemon } from "../../src/daemon/daemon.js";
import type { DaemonEvent } from "../../src/daemon/observe/events.js";
import type { QuarantineState } from "../../src/daemon/quarantine/quarantine-state.js";
import { daemonSettings } from "../support/daemon-settings.js";
import { compileMappings } from "../../src/mapping/index.js";
import { compileScope } from "../../src/scope/compile-scope.js";
import { FatalError } from "../../src/model/index.js";
import { emptyState } from "../../src/state/index.js";
import type { AgentState } from "../../src/state/state-file.js";
import { FakeDirectory } from "../support/fake-directory.js";
import { FakeKlaxoon } from "../support/fake-klaxoon.js";
import { fullReadsOnly } from "../support/full-reads-only.js";
import { HOUR } from "./support.js";
import { createVirtualClock } from "../support/virtual-clock.js";

const settings: CycleSettings = {
  app: { appId: "11111111-1111-1111-1111-111111111111" },
  readScope: "assigned",
  mappings: compileMappings(
    {
      users: [
        { target: "userName", direct: "userPrincipalName", apply: "always", matchingPrecedence: 1, required: true },
        { target: 'emails[type eq "work"].value', direct: "mail", apply: "always", required: true },
      ],
      groups: [],
      groupMembers: false,
    },
    "mappings",
  ),
  scopes: { users: compileScope([], "scoping.users"), groups: compileScope([], "scoping.groups") },
  skipOutOfScopeDeletions: false,
  guard: { maxDeactivations: 500, allow: false },
  protection: NO_PROTECTION,
  concurrency: 4,
  dryRun: false,
  forceFullRead: false,
  binding: {
    graphTenantId: "tenant",
    app: "appid:11111111-1111-1111-1111-111111111111",
    targetUrl: "https://klaxoon.test/scim/v2",
    rules: "rules",
  },
  startAfreshCommand: "entra-klaxoon-sync reset --forget-links",
};

/**
 * The daemon around the real cycle, with fakes at the cycle's ports and a virtual clock.
 * `beforeCycle` runs at the start of each scheduled cycle (1-based), to change the world or stop.
 */
function daemonWorld() {
  const clock = createVirtualClock(new Date("2026-03-01T00:00:00Z"));
  const directory = new FakeDirectory();
  const klaxoon = new FakeKlaxoon();
  for (let i = 0; i < 3; i++)
    directory.addUser(`s${i}`, { userPrincipalName: `u${i}@contoso.com`, mail: `u${i}@contoso.com` });
  const world = {
    clock,
    directory,
    klaxoon,
    agentState: emptyState() as AgentState,
    events: [] as DaemonEvent[],
    starts: [] as number[],
    saved: null as QuarantineState | null,
    controller: new AbortController(),
    async run(reader: IncrementalDirectoryReader, beforeCycle: (n: number) => void): Promise<void> {
      const state: CycleState = {
        read: async () => structuredClone(world.agentState),
        write: async (next) => {
          world.agentState = structuredClone(next);
        },
      };
      const logger = pino({ level: "silent" });
      await runDaemon({
        settings: daemonSettings({}),
        runCycle: async () => {
          world.starts.push(clock.now().getTime());
          beforeCycle(world.starts.length);
          return runCycle(settings, {
            directory: reader,
            targetReader: klaxoon,
            writer: klaxoon,
            state,
            logger,
            provisioningLog: { record: () => undefined },
            now: () => clock.now(),
            random: () => 0.5,
          });
        },
        loadQuarantine: async () => world.saved,
        saveQuarantine: async (q) => {
          world.saved = q;
        },
        clock,
        logger,
        notifier: { notify: async (e) => void world.events.push(e) },
        signal: world.controller.signal,
      });
    },
  };
  return world;
}

describe("runDaemon with the real cycle", () => {
  it("quarantines at once when Klaxoon refuses the token, and leaves at the 6 h retry once it is fixed", async () => {
    const world = daemonWorld();
    for (let i = 0; i < 3; i++)
      world.klaxoon.failing.set(`u${i}@contoso.com`, {
        ok: false,
        kind: "unauthorized",
        status: 401,
        message: "invalid token",
      });
    await world.run(fullReadsOnly(world.directory), (n) => {
      if (n === 2) world.klaxoon.failing.clear(); // the administrator fixed the token
      if (n === 3) world.controller.abort();
    });

    const { starts, events } = world;
    expect(starts.map((s) => (s - starts[0]!) / HOUR)).toEqual([0, 6, 6 + 40 / 60]);
    expect(events.map((e) => e.type)).toEqual(["quarantineEntered", "quarantineLeft"]);
    expect(events[0]).toMatchObject({ reason: { code: "KLAXOON_UNAUTHORIZED" } });
    expect(world.saved).toMatchObject({ status: "healthy" });
    expect(Object.keys(world.agentState.links.users).sort()).toEqual(["s0", "s1", "s2"]);
  });

  it("a quiet delta cycle whose probe Klaxoon refuses quarantines at once with the webhook, and nothing is written", async () => {
    const world = daemonWorld();
    // After the first (full) cycle every read is a delta round with nothing changed: a quiet cycle.
    const full = fullReadsOnly(world.directory);
    let reads = 0;
    const incremental: IncrementalDirectoryReader = {
      read: async (request) => ({ ...(await full.read(request)), mode: ++reads === 1 ? "full" : "delta" }),
    };
    let writesAfterFirst = -1;
    await world.run(incremental, (n) => {
      if (n === 2) {
        writesAfterFirst = world.klaxoon.writes.length;
        world.klaxoon.probeError = new FatalError(
          "KLAXOON_UNAUTHORIZED",
          "Klaxoon did not answer as it must: the Secret Token was refused (HTTP 401)",
        );
      }
      if (n === 3) world.controller.abort();
    });

    // The quiet cycle and the quarantine's first retry, 6 h later: each sent the probe, each was refused.
    expect(world.klaxoon.probes).toBe(2);
    expect(world.events.map((e) => e.type)).toEqual(["quarantineEntered"]);
    expect(world.events[0]).toMatchObject({ reason: { code: "KLAXOON_UNAUTHORIZED" } });
    expect(world.saved).toMatchObject({ status: "quarantined" });
    expect(world.klaxoon.writes.length).toBe(writesAfterFirst);
  });
});
