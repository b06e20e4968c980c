import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzParameters, seeded } from "../support/fuzz-seed.js";
import { SyncError } from "../../src/model/index.js";
import { createScimClient, type ScimClient } from "../../src/scim/index.js";
import { scimSettings } from "../support/adapter-settings.js";
import { systemClock } from "../../src/model/index.js";

/**
 * Klaxoon answers no server should send: random JSON, non-JSON, wrong shapes (ids that are not
 * strings, `active` as anything, members without values, negative totals), odd statuses. A real
 * HTTP server on 127.0.0.1 plays a fuzzed script to the real SCIM client; every read must return
 * or throw a typed error that says it came from Klaxoon, every write must report an outcome, and
 * nothing may loop.
 */
interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const MAX_REQUESTS = 300;
const EMPTY_LIST = JSON.stringify({
  schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
  totalResults: 0,
  Resources: [],
});

let server: Server;
let url = "";
let script: readonly Answer[] = [];
let requests = 0;

const anyValue = fc.jsonValue({ maxDepth: 3 });
const resource = fc.record(
  {
    id: fc.oneof(fc.constantFrom("u-1", "u-2", "g-1", ""), anyValue),
    userName: fc.oneof(fc.string(), anyValue),
    displayName: fc.oneof(fc.string(), anyValue),
    active: fc.oneof(fc.constantFrom(true, false, "True", "false", "yes"), anyValue),
    externalId: anyValue,
    name: fc.oneof(fc.record({ givenName: anyValue, familyName: anyValue }, { requiredKeys: [] }), anyValue),
    emails: fc.oneof(
      fc.array(fc.record({ type: fc.oneof(fc.constant("work"), anyValue), value: anyValue }, { requiredKeys: [] }), {
        maxLength: 2,
      }),
      anyValue,
    ),
    members: fc.oneof(
      fc.array(fc.oneof(fc.record({ value: fc.oneof(fc.string(), anyValue) }, { requiredKeys: [] }), anyValue), {
        maxLength: 3,
      }),
      anyValue,
    ),
    "urn:ietf:params:scim:schemas:extension:klaxoon:2.0:Group": fc.oneof(
      fc.record({ license: anyValue }, { requiredKeys: [] }),
      anyValue,
    ),
  },
  { requiredKeys: [] },
);
const body = fc.record(
  {
    schemas: fc.oneof(fc.constant(["urn:ietf:params:scim:api:messages:2.0:ListResponse"]), anyValue),
    totalResults: fc.oneof(fc.integer({ min: -2, max: 500 }), fc.double(), anyValue),
    startIndex: fc.oneof(fc.integer({ min: -1, max: 400 }), anyValue),
    itemsPerPage: fc.oneof(fc.integer({ min: 0, max: 200 }), anyValue),
    Resources: fc.oneof(fc.array(fc.oneof(resource, anyValue), { maxLength: 4 }), anyValue),
    detail: fc.oneof(fc.string(), anyValue),
    scimType: fc.oneof(fc.constantFrom("uniqueness", "invalidValue", "mutability"), anyValue),
    status: fc.oneof(fc.constantFrom("400", "409", "500"), anyValue),
    patch: fc.oneof(fc.record({ supported: anyValue }), anyValue),
    filter: fc.oneof(fc.record({ supported: anyValue, maxResults: anyValue }, { requiredKeys: [] }), anyValue),
  },
  { requiredKeys: [] },
);
const answer: fc.Arbitrary<Answer> = fc.record({
  status: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(200, 201) },
    { weight: 2, arbitrary: fc.constantFrom(204, 302, 400, 401, 403, 404, 409, 412, 429, 500, 502) },
  ),
  contentType: fc.constantFrom(
    "application/scim+json",
    "application/json",
    "text/html",
    "application/scim+json; charset=utf-8",
  ),
  body: fc.oneof(
    { weight: 4, arbitrary: fc.oneof(body, resource).map((b) => JSON.stringify(b)) },
    // A well-formed user now and then, so single-resource reads (GET /Users/{id}) also succeed.
    { weight: 1, arbitrary: fc.constant(JSON.stringify({ id: "u-1", userName: "ada", active: true })) },
    { weight: 1, arbitrary: anyValue.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  ),
});

type Operation = (client: ScimClient) => Promise<unknown>;
const drain = async (items: AsyncIterable<unknown>): Promise<void> => {
  for await (const item of items) expect(item).toBeTypeOf("object");
};
const READS: Record<string, Operation> = {
  listUsers: (client) =>
    drain(client.listUsers(["userName", "active", "externalId", 'emails[type eq "work"].value', "name.givenName"])),
  listGroups: (client) =>
    drain(client.listGroups(["displayName", "urn:ietf:params:scim:schemas:extension:klaxoon:2.0:Group:license"])),
  serviceProviderConfig: (client) => client.readServiceProviderConfig(),
  lookUpUsersById: (client) => client.lookUpUsers({ ids: ["u-1"], keys: [] }, ["userName"]),
  lookUpUsersByKey: (client) =>
    client.lookUpUsers({ ids: [], keys: [{ path: "userName", value: "ada" }] }, ["userName"]),
  lookUpGroupsById: (client) => client.lookUpGroups({ ids: ["g-1"], keys: [] }, ["displayName"]),
};
const WRITES: Record<string, Operation> = {
  findUserByUserName: (client) => client.findUserByUserName(`a" or "b`),
  createUser: (client) => client.createUser({ userName: "ada@contoso.example", active: true }),
  patchUser: (client) => client.patchUser("u-1", [{ op: "replace", path: "active", value: false }]),
  createGroup: (client) => client.createGroup({ displayName: "Team" }, ["u-1"]),
  changeMembers: (client) => client.changeMembers("g-1", { add: ["u-1", "u-2"], remove: ["u-3"] }),
};

async function play(operation: Operation, answers: readonly Answer[]): Promise<unknown> {
  script = answers;
  requests = 0;
  const settings = scimSettings({
    tenantUrl: url,
    token: "t",
    requestsPerSecond: 1000,
    maxRetries: 1,
    retryBaseDelayMs: 1,
    maxRetryDelayMs: 5,
    timeoutMs: 5000,
  });
  const client = createScimClient(settings, { clock: systemClock });
  try {
    return await operation(client);
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      requests += 1;
      const scripted = script[requests - 1] ?? { status: 200, contentType: "application/scim+json", body: EMPTY_LIST };
      res.writeHead(scripted.status, { "content-type": scripted.contentType });
      res.end(scripted.status === 204 ? undefined : scripted.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
});
afterAll(async () => new Promise((resolve) => server.close(resolve)));

describe("SCIM response parsing under fuzzed answers", () => {
  it.each(Object.keys(READS))(seeded("%s: returns or throws a typed Klaxoon error, and stops"), async (name) => {
    const seen = { returned: 0, threw: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { maxLength: 5 }), async (answers) => {
        try {
          await play(READS[name] as Operation, answers);
          seen.returned += 1;
        } catch (error) {
          if (!(error instanceof SyncError)) throw error;
          expect(error.message).toMatch(/^Klaxoon /);
          seen.threw += 1;
        }
        expect(requests).toBeLessThanOrEqual(MAX_REQUESTS);
      }),
      fuzzParameters({ numRuns: 120 }),
    );
    // Both paths were taken: the fuzzing reached the parsers, not only the error handling.
    expect(seen.returned).toBeGreaterThan(0);
    // /ServiceProviderConfig is optional: any failure there reads as "no config", by design.
    if (name !== "serviceProviderConfig") expect(seen.threw).toBeGreaterThan(0);
  });

  it.each(Object.keys(WRITES))(seeded("%s: reports an outcome, never throws"), async (name) => {
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { maxLength: 4 }), async (answers) => {
        const outcome = await play(WRITES[name] as Operation, answers);
        expect(outcome).toMatchObject({ ok: expect.any(Boolean) });
        if (typeof outcome === "object" && outcome !== null && "message" in outcome)
          expect(outcome.message).toBeTypeOf("string");
        expect(requests).toBeLessThanOrEqual(MAX_REQUESTS);
      }),
      fuzzParameters({ numRuns: 80 }),
    );
  });
});
