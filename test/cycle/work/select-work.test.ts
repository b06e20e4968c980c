import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { computeDesiredState } from "../../../src/cycle/desired-state.js";
import { selectWork, targetPaths, type WorkRequest } from "../../../src/cycle/work/index.js";
import { fingerprintDesired } from "../../../src/cycle/work/fingerprints.js";
import { compileMappings } from "../../../src/mapping/index.js";
import type { DirectorySnapshot, DirectoryUser } from "../../../src/model/index.js";
import { compileScope } from "../../../src/scope/index.js";
import { emptyState, type AgentState } from "../../../src/state/index.js";
import { FakeKlaxoon } from "../../support/fake-klaxoon.js";

const EMAIL = 'emails[type eq "work"].value';
const mappings = compileMappings(
  {
    users: [
      { target: "userName", direct: "userPrincipalName", apply: "always", matchingPrecedence: 1 },
      { target: EMAIL, direct: "mail", apply: "always", required: true },
    ],
    groups: [],
    groupMembers: false,
  },
  "mappings",
);
const scopes = { users: compileScope([], "scoping.users"), groups: compileScope([], "scoping.groups") };
const person = (id: string, mail: string | null): DirectoryUser => ({
  id,
  attributes: { userPrincipalName: `${id}@contoso.com`, mail },
  softDeleted: false,
});
const snapshot: DirectorySnapshot = {
  servicePrincipal: { id: "sp", appId: "app", displayName: "Klaxoon", appRoles: [] },
  users: new Map([
    ["ada", person("ada", "ada@contoso.com")],
    ["bob", person("bob", null)],
  ]),
  groups: new Map(),
  userAssignments: new Map(),
  assignmentCount: 2,
};
const desired = computeDesiredState(snapshot, mappings, scopes, { now: () => new Date(0), random: () => 0.5 });

/** Both users settled by an earlier cycle: ada linked to k1, bob rightly not created (no e-mail), warned about. */
function settledState(): AgentState {
  const links = { users: { ada: "k1" }, groups: {} };
  const fingerprints = fingerprintDesired(desired, links.users);
  const warning = {
    code: "REQUIRED_ATTRIBUTE_NULL" as const,
    kind: "user" as const,
    label: "bob@contoso.com",
    message: "not created",
    sourceId: "bob",
    since: "2026-01-01T00:00:00.000Z",
  };
  const lastError = { status: "throttled", httpStatus: 429, message: null };
  const escrow = { fingerprint: "f", attempts: 1, firstFailedAt: "t", nextAttemptAt: "t", lastError, permanent: false };
  return {
    ...emptyState(),
    links,
    fingerprints: { users: Object.fromEntries(fingerprints.users), groups: {} },
    escrows: { "user:update:ada": escrow },
    warnings: { "user:bob:REQUIRED_ATTRIBUTE_NULL": warning },
  };
}

function request(state: AgentState, onDemand: WorkRequest["onDemand"]): WorkRequest {
  const klaxoon = new FakeKlaxoon();
  klaxoon.users.set("k1", { userName: "ada@contoso.com", active: true, [EMAIL]: "ada@contoso.com" });
  klaxoon.users.set("k2", { userName: "someone@contoso.com", active: true });
  const guard = { maxDeactivations: 5, allow: false };
  const paths = targetPaths(mappings);
  const read = { mode: "delta" as const, snapshot };
  return { onDemand, read, state, desired, mappings, scopes, guard, reader: klaxoon, paths };
}

describe("the work of a cycle, chosen in one place", () => {
  const log = pino({ level: "silent" });

  it("a quiet delta cycle plans nothing, keeps the state's escrows and guard, carries lasting warnings", async () => {
    const state = settledState();
    const work = await selectWork(request(state, undefined), log);
    expect(work.planned.users.desired).toEqual([]);
    expect([...work.planned.users.reserved.keys()]).toEqual(["ada"]);
    expect(work.actual.users).toEqual([]);
    expect(work.guard.allow).toBe(false);
    expect(work.escrows).toBe(state.escrows);
    expect(work.carriedWarnings.map((w) => w.sourceId)).toEqual(["bob"]);
    expect(work.steps).toBeNull();
    expect(work.recording).toBe("outcome");
  });

  it("on demand narrows a full reconciliation's work to the one object, in the same shape", async () => {
    const work = await selectWork(request(settledState(), { kind: "user", ref: "ada@contoso.com" }), log);
    expect(work.planned.users.desired.map((d) => d.resource.sourceId)).toEqual(["ada"]);
    expect([...work.planned.users.links]).toEqual([["ada", "k1"]]);
    expect(work.planned.users.reserved.size).toBe(0);
    // Klaxoon was listed whole, and only the account the object is linked to is kept.
    expect(work.actual.users.map((u) => u.id)).toEqual(["k1"]);
    // The administrator's explicit decision: no deletion guard, no escrow delay, no other object's warnings.
    expect(work.guard.allow).toBe(true);
    expect(work.escrows).toEqual({});
    expect(work.carriedWarnings).toEqual([]);
    const steps = [
      ["found", true],
      ["scope", true],
      ["mapping", true],
      ["match", true],
    ];
    expect(work.steps?.map((s) => [s.step, s.ok])).toEqual(steps);
    expect(work.recording).toBe("linksOnly");
  });
});
