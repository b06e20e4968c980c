import { NO_PROTECTION } from "../../src/model/index.js";
import { pino } from "pino";
import { beforeEach, describe, expect, it } from "vitest";
import { runCycle, type CycleSettings, type CycleState } from "../../src/cycle/index.js";
import type { ProvisioningRecord } from "../../src/log/provisioning-log.js";
import { compileMappings } from "../../src/mapping/index.js";
import { compileScope } from "../../src/scope/compile-scope.js";
import { emptyState } from "../../src/state/index.js";
import type { AgentState } from "../../src/state/state-file.js";
import { FakeDirectory } from "../support/fake-directory.js";
import { FakeKlaxoon } from "../support/fake-klaxoon.js";
import { fullReadsOnly } from "../support/full-reads-only.js";

const mappings = compileMappings(
  {
    users: [
      { target: "userName", direct: "userPrincipalName", apply: "always", matchingPrecedence: 1, required: true },
      { target: 'emails[type eq "work"].value', direct: "mail", apply: "always", required: true },
      { target: "active", expression: 'Switch([accountEnabled], "False", "True", "True")', apply: "always" },
    ],
    groups: [],
    groupMembers: false,
  },
  "mappings",
);

function settings(overrides: Partial<CycleSettings> = {}): CycleSettings {
  return {
    app: { appId: "11111111-1111-1111-1111-111111111111" },
    readScope: "assigned",
    mappings,
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
    ...overrides,
  };
}

class MemoryState implements CycleState {
  state: AgentState = emptyState();
  writes = 0;
  async read(): Promise<AgentState> {
    return structuredClone(this.state);
  }
  async write(state: AgentState): Promise<void> {
    this.writes += 1;
    this.state = structuredClone(state);
  }
}

describe("runCycle", () => {
  let directory: FakeDirectory;
  let klaxoon: FakeKlaxoon;
  let state: MemoryState;
  let records: ProvisioningRecord[];
  const run = (overrides: Partial<CycleSettings> = {}) =>
    runCycle(settings(overrides), {
      directory: fullReadsOnly(directory),
      targetReader: klaxoon,
      writer: klaxoon,
      state,
      logger: pino({ level: "silent" }),
      provisioningLog: { record: (record) => records.push(record) },
      now: () => new Date("2026-01-01T00:00:00Z"),
      random: () => 0.5,
    });

  beforeEach(() => {
    directory = new FakeDirectory();
    klaxoon = new FakeKlaxoon();
    state = new MemoryState();
    records = [];
    directory.addUser("s1", { userPrincipalName: "ada@contoso.com", mail: "ada@contoso.com" });
    directory.addUser("s2", { userPrincipalName: "bob@contoso.com", mail: "bob@contoso.com" });
  });

  it("asks Graph only for the attributes the mappings and the agent use", async () => {
    await run();
    expect([...(directory.requests[0]?.userAttributes ?? [])].sort()).toEqual([
      "accountEnabled",
      "mail",
      "userPrincipalName",
    ]);
  });

  it("dry run plans the creates, writes nothing to Klaxoon and nothing to state", async () => {
    const result = await run({ dryRun: true });
    expect(result.outcome).toBe("dryRun");
    expect(result.plan.counts).toEqual({ "user.create": 2 });
    expect(klaxoon.writes).toEqual([]);
    expect(state.writes).toBe(0);
  });

  it("creates, then converges: the second cycle writes nothing", async () => {
    const first = await run();
    expect(first.outcome).toBe("success");
    expect(Object.keys(state.state.links.users).sort()).toEqual(["s1", "s2"]);
    klaxoon.writes.length = 0;
    const second = await run();
    expect(second.plan.operations).toEqual([]);
    expect(klaxoon.writes).toEqual([]);
  });

  it("records a failed create as a failure and keeps no link for it", async () => {
    klaxoon.failing.set("bob@contoso.com", { ok: false, kind: "transient", status: 503, message: "unavailable" });
    const result = await run();
    expect(result.outcome).toBe("failures");
    expect(Object.keys(state.state.links.users)).toEqual(["s1"]);
    expect(records.map((r) => [r.object, r.action, r.status, r.httpStatus ?? null])).toEqual([
      ["ada@contoso.com", "create", "success", null],
      ["bob@contoso.com", "create", "transient", 503],
    ]);
  });

  it("a failed Graph read stops the cycle before any write", async () => {
    await run();
    klaxoon.writes.length = 0;
    directory.failure = new Error("Graph read failed on page 2");
    await expect(run()).rejects.toThrow("page 2");
    expect(klaxoon.writes).toEqual([]);
  });

  it("deactivates the unassigned and the disabled user, and nobody else", async () => {
    directory.addUser("s3", { userPrincipalName: "cy@contoso.com", mail: "cy@contoso.com" });
    await run();
    directory.assigned.delete("s1");
    directory.addUser("s2", { userPrincipalName: "bob@contoso.com", mail: "bob@contoso.com", accountEnabled: false });
    const result = await run();
    expect(
      result.plan.operations
        .map((op) => [op.action, op.object.label, op.action === "deactivate" ? op.reason : ""])
        .sort(),
    ).toEqual([
      ["deactivate", "ada@contoso.com", "unassigned"],
      ["deactivate", "bob@contoso.com", "disabled"],
    ]);
    const active = [...klaxoon.users.values()].filter((u) => u["active"] !== false).map((u) => u["userName"]);
    expect(active).toEqual(["cy@contoso.com"]);
  });
});
