import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { fullReadsOnly, runCycle, type CycleSettings, type StateStore } from "../../src/cycle/index.js";
import { daemonSettings, runDaemon, type DaemonEvent, type QuarantineState } from "../../src/daemon/index.js";
import { compileMappings } from "../../src/mapping/index.js";
import { compileScope } from "../../src/scope/index.js";
import { FatalError } from "../../src/model/index.js";
import { emptyState, type AgentState } from "../../src/state/index.js";
import { FakeDirectory } from "../support/fake-directory.js";
import { FakeKlaxoon } from "../support/fake-klaxoon.js";
import { HOUR } from "./support.js";
import { createVirtualClock } from "./virtual-clock.js";

const settings: CycleSettings = {
  app: { appId: "11111111-1111-1111-1111-111111111111" },
  readScope: "assigned",
  mappings: compileMappings(
    {
      users: [
        { target: "userName", direct: "userPrincipalName", apply: "always", matchingPrecedence: 1 },
        { target: 'emails[type eq "work"].value', direct: "mail", apply: "always" },
      ],
      groups: [],
      groupMembers: false,
    },
    "mappings",
  ),
  scopes: { users: compileScope([], "scoping.users"), groups: compileScope([], "scoping.groups") },
  skipOutOfScopeDeletions: false,
  guard: { maxDeactivations: 500, allow: false },
  concurrency: 4,
  dryRun: false,
  forceFullRead: false,
    binding: { graphTenantId: "tenant", app: "appid:11111111-1111-1111-1111-111111111111", targetUrl: "https://klaxoon.test/scim/v2", rules: "rules" },
    startAfreshCommand: "entra-klaxoon-sync reset --forget-links",
};

describe("runDaemon with the real cycle", () => {
  it("quarantines at once when Klaxoon refuses the token, and leaves at the 6 h retry once it is fixed", async () => {
    const clock = createVirtualClock(new Date("2026-03-01T00:00:00Z"));
    const directory = new FakeDirectory();
    const klaxoon = new FakeKlaxoon();
    for (let i = 0; i < 3; i++) directory.addUser(`s${i}`, { userPrincipalName: `u${i}@contoso.com`, mail: `u${i}@contoso.com` });
    for (let i = 0; i < 3; i++) klaxoon.failing.set(`u${i}@contoso.com`, { ok: false, kind: "unauthorized", status: 401, message: "invalid token" });
    let agentState: AgentState = emptyState();
    const state: StateStore = { read: async () => structuredClone(agentState), write: async (s) => void (agentState = structuredClone(s)) };
    const controller = new AbortController();
    const events: DaemonEvent[] = [];
    const starts: number[] = [];
    let saved: QuarantineState | null = null;
    const logger = pino({ level: "silent" });

    await runDaemon({
      settings: daemonSettings({}),
      runCycle: async () => {
        starts.push(clock.now().getTime());
        if (starts.length === 2) klaxoon.failing.clear(); // the administrator fixed the token
        if (starts.length === 3) controller.abort();
        return runCycle(settings, { directory: fullReadsOnly(directory), targetReader: klaxoon, writer: klaxoon, state, logger, provisioningLog: { record: () => undefined }, now: () => clock.now(), random: () => 0.5 });
      },
      loadQuarantine: async () => saved,
      saveQuarantine: async (q) => void (saved = q),
      clock,
      logger,
      notifier: { notify: async (e) => void events.push(e) },
      signal: controller.signal,
    });

    expect(starts.map((s) => (s - starts[0]!) / HOUR)).toEqual([0, 6, 6 + 40 / 60]);
    expect(events.map((e) => e.type)).toEqual(["quarantineEntered", "quarantineLeft"]);
    expect(events[0]).toMatchObject({ reason: { code: "KLAXOON_UNAUTHORIZED" } });
    expect(saved).toMatchObject({ status: "healthy" });
    expect(Object.keys(agentState.links.users).sort()).toEqual(["s0", "s1", "s2"]);
  });

  it("a quiet delta cycle whose probe Klaxoon refuses quarantines at once with the webhook, and nothing is written", async () => {
    const clock = createVirtualClock(new Date("2026-03-01T00:00:00Z"));
    const directory = new FakeDirectory();
    const klaxoon = new FakeKlaxoon();
    for (let i = 0; i < 3; i++) directory.addUser(`s${i}`, { userPrincipalName: `u${i}@contoso.com`, mail: `u${i}@contoso.com` });
    let agentState: AgentState = emptyState();
    const state: StateStore = { read: async () => structuredClone(agentState), write: async (s) => void (agentState = structuredClone(s)) };
    // After the first (full) cycle every read is a delta round with nothing changed: a quiet cycle.
    const full = fullReadsOnly(directory);
    let reads = 0;
    const incremental = { read: async (request: Parameters<typeof full.read>[0]) => ({ ...(await full.read(request)), mode: ++reads === 1 ? ("full" as const) : ("delta" as const) }) };
    const controller = new AbortController();
    const events: DaemonEvent[] = [];
    let writesAfterFirst = -1;
    let saved: QuarantineState | null = null;
    const logger = pino({ level: "silent" });

    await runDaemon({
      settings: daemonSettings({}),
      runCycle: async () => {
        if (reads === 1) {
          writesAfterFirst = klaxoon.writes.length;
          klaxoon.probeError = new FatalError("KLAXOON_UNAUTHORIZED", "Klaxoon did not answer as it must: the Secret Token was refused (HTTP 401)");
        }
        if (reads === 2) controller.abort();
        return runCycle(settings, { directory: incremental, targetReader: klaxoon, writer: klaxoon, state, logger, provisioningLog: { record: () => undefined }, now: () => clock.now(), random: () => 0.5 });
      },
      loadQuarantine: async () => saved,
      saveQuarantine: async (q) => void (saved = q),
      clock,
      logger,
      notifier: { notify: async (e) => void events.push(e) },
      signal: controller.signal,
    });

    // The quiet cycle and the quarantine's first retry, 6 h later: each sent the probe, each was refused.
    expect(klaxoon.probes).toBe(2);
    expect(events.map((e) => e.type)).toEqual(["quarantineEntered"]);
    expect(events[0]).toMatchObject({ reason: { code: "KLAXOON_UNAUTHORIZED" } });
    expect(saved).toMatchObject({ status: "quarantined" });
    expect(klaxoon.writes.length).toBe(writesAfterFirst);
  });
});
