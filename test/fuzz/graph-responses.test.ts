import { Client, type Context, type Middleware } from "@microsoft/microsoft-graph-client";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParameters, seeded } from "../support/fuzz-seed.js";
import { toDirectoryGroup, toDirectoryUser } from "../../src/graph/read/build-objects.js";
import { GraphApi } from "../../src/graph/client/graph-api.js";
import { silentLogger } from "../../src/graph/client/logger.js";
import { readAssignments, readServicePrincipal } from "../../src/graph/read/read-app.js";
import { readDeltaRound } from "../../src/graph/delta/delta-round.js";
import { readGroupMembers } from "../../src/graph/membership/read-members.js";
import { systemClock } from "../../src/model/index.js";
import { readByIds } from "../../src/graph/read/read-by-ids.js";
import { SyncError } from "../../src/model/index.js";
import { DEFAULT_RETRY_POLICY } from "../../src/retry/index.js";

/**
 * Graph answers no server would send on purpose: random JSON, non-JSON, wrong shapes, odd
 * statuses, endless or self-referencing nextLinks. The real Graph client parses them (only its
 * transport is replaced, by a middleware answering from the fuzzed script) and every reader must
 * either return or throw one of the agent's typed errors naming what it read, and stop.
 */
interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const MAX_REQUESTS = 200;

/** Answers requests from a script; past its end, an empty final page. Counts requests to catch loops. */
class ScriptedTransport implements Middleware {
  requests = 0;
  private readonly script: readonly Answer[];
  private readonly finalPage: string;

  constructor(script: readonly Answer[], finalPage: string) {
    this.script = script;
    this.finalPage = finalPage;
  }

  execute(context: Context): Promise<void> {
    this.requests += 1;
    if (this.requests > MAX_REQUESTS) throw new Error(`runaway: more than ${MAX_REQUESTS} requests`);
    const answer = this.script[this.requests - 1] ?? {
      status: 200,
      contentType: "application/json",
      body: this.finalPage,
    };
    context.response = new Response(answer.status === 204 ? null : answer.body, {
      status: answer.status,
      headers: { "content-type": answer.contentType },
    });
    return Promise.resolve();
  }
}

const id = fc.oneof(fc.uuid(), fc.string({ maxLength: 8 }), fc.constant(""));
const link = fc.oneof(
  fc.constant("https://graph.microsoft.com/v1.0/users?$skiptoken=abc"),
  fc.constant("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x"),
  fc.constant("/groups/delta?$skiptoken=1"),
  fc.string({ maxLength: 20 }),
);
const anyValue = fc.jsonValue({ maxDepth: 3 });
const graphObject = fc.record(
  {
    id: fc.oneof(id, anyValue),
    "@odata.type": fc.constantFrom("#microsoft.graph.user", "#microsoft.graph.group", "#microsoft.graph.device", "x"),
    userPrincipalName: fc.oneof(fc.string(), anyValue),
    displayName: fc.oneof(fc.string(), anyValue),
    appId: fc.oneof(fc.uuid(), anyValue),
    appRoles: fc.oneof(
      fc.array(fc.record({ id: fc.oneof(fc.uuid(), anyValue), value: anyValue, displayName: anyValue }), {
        maxLength: 3,
      }),
      anyValue,
    ),
    principalId: fc.oneof(fc.uuid(), anyValue),
    principalType: fc.oneof(fc.constantFrom("User", "Group", "ServicePrincipal"), anyValue),
    appRoleId: fc.oneof(fc.uuid(), anyValue),
    "@removed": fc.oneof(fc.record({ reason: fc.oneof(fc.constantFrom("changed", "deleted"), anyValue) }), anyValue),
    "members@delta": fc.oneof(
      fc.array(
        fc.record(
          { "@odata.type": fc.constantFrom("#microsoft.graph.user", "x"), id, "@removed": anyValue },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      anyValue,
    ),
  },
  { requiredKeys: [] },
);
const page = fc.record(
  {
    value: fc.oneof(fc.array(fc.oneof(graphObject, anyValue), { maxLength: 5 }), anyValue),
    "@odata.nextLink": fc.oneof(link, anyValue),
    "@odata.deltaLink": fc.oneof(link, anyValue),
    responses: fc.oneof(
      fc.array(
        fc.record(
          {
            id: fc.oneof(fc.constantFrom("0", "1", "2"), anyValue),
            status: fc.oneof(fc.constantFrom(200, 404, 400, 500), anyValue),
            body: fc.oneof(graphObject, anyValue),
            headers: anyValue,
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      anyValue,
    ),
    error: fc.oneof(
      fc.record(
        { code: fc.oneof(fc.string(), anyValue), message: fc.oneof(fc.string(), anyValue) },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
  },
  { requiredKeys: [] },
);
const answer: fc.Arbitrary<Answer> = fc.record({
  status: fc.oneof(
    { weight: 5, arbitrary: fc.constant(200) },
    { weight: 1, arbitrary: fc.constantFrom(204, 301, 400, 401, 403, 404, 410, 429, 500, 503) },
  ),
  contentType: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "text/html"),
  body: fc.oneof(
    { weight: 6, arbitrary: page.map((p) => JSON.stringify(p)) },
    {
      weight: 1,
      arbitrary: fc.constant(
        JSON.stringify({ value: [{ id: "sp", appId: "11111111-1111-1111-1111-111111111111", appRoles: [] }] }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant(
        JSON.stringify({
          responses: [
            { id: "0", status: 200, body: { id: "a" } },
            { id: "1", status: 404, body: {} },
            { id: "2", status: 200, body: { id: "c" } },
          ],
        }),
      ),
    },
    { weight: 1, arbitrary: anyValue.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  ),
});

type Reader = (api: GraphApi) => Promise<unknown>;
const READERS: Record<string, Reader> = {
  servicePrincipal: (api) => readServicePrincipal(api, { appId: "11111111-1111-1111-1111-111111111111" }),
  assignments: (api) => readAssignments(api, "sp", 100, silentLogger),
  members: (api) => readGroupMembers(api, "g", { pageSize: 100, logger: silentLogger }),
  usersByBatch: (api) =>
    readByIds(api, "users", ["a", "b", "c"], "$select=id", {
      concurrency: 2,
      policy: { ...DEFAULT_RETRY_POLICY, maxRetries: 2 },
      clock: { ...systemClock, sleep: () => Promise.resolve() },
      logger: silentLogger,
    }),
  userListing: async (api) => {
    for await (const item of api.items("/users?$select=id,userPrincipalName")) toDirectoryUser(item, silentLogger);
  },
  groupListing: async (api) => {
    for await (const item of api.items("/groups?$select=id,displayName")) toDirectoryGroup(item, [], silentLogger);
  },
  usersDelta: async (api) => drainDelta(api, "/users/delta?$deltatoken=x"),
  groupsDelta: async (api) => drainDelta(api, "/groups/delta?$deltatoken=x"),
};

async function drainDelta(api: GraphApi, deltaLink: string): Promise<string> {
  const round = readDeltaRound(api, { deltaLink }, silentLogger);
  for await (const change of round.changes) expect(typeof change.id).toBe("string");
  return round.deltaLink();
}

const FINAL_PAGE = JSON.stringify({
  value: [],
  "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=end",
  "@odata.nextLink": undefined,
  responses: [],
});

async function outcome(
  reader: Reader,
  script: readonly Answer[],
): Promise<{ transport: ScriptedTransport; error: unknown }> {
  const transport = new ScriptedTransport(script, FINAL_PAGE);
  const api = new GraphApi(Client.initWithMiddleware({ middleware: transport, defaultVersion: "v1.0" }));
  try {
    await reader(api);
    return { transport, error: null };
  } catch (error) {
    return { transport, error };
  }
}

describe("Graph response parsing under fuzzed answers", () => {
  it.each(Object.keys(READERS))(
    seeded("%s: returns or throws a typed error naming what it read, and stops"),
    async (name) => {
      const reader = READERS[name] as Reader;
      const seen = { returned: 0, threw: 0 };
      await fc.assert(
        fc.asyncProperty(fc.array(answer, { maxLength: 6 }), async (script) => {
          const { transport, error } = await outcome(reader, script);
          expect(transport.requests).toBeLessThanOrEqual(MAX_REQUESTS);
          if (error === null) {
            seen.returned += 1;
            return;
          }
          if (!(error instanceof SyncError)) throw error;
          seen.threw += 1;
          expect(error.message).toMatch(
            /Graph|service principal|users|groups|servicePrincipals|appRoleAssignedTo|members|delta|\$batch/,
          );
        }),
        fuzzParameters({ numRuns: 150 }),
      );
      // Both paths were taken: the fuzzing reached the parsers, not only the error handling.
      expect(seen, JSON.stringify(seen)).toMatchObject({ returned: expect.any(Number), threw: expect.any(Number) });
      expect(Math.min(seen.returned, seen.threw), JSON.stringify(seen)).toBeGreaterThan(0);
    },
  );

  it("a nextLink that points back at the same page forever is refused, not followed forever", async () => {
    const loop: Answer = {
      status: 200,
      contentType: "application/json",
      body: JSON.stringify({ value: [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=same" }),
    };
    for (const name of ["userListing", "usersDelta"]) {
      const { transport, error } = await outcome(
        READERS[name] as Reader,
        Array.from({ length: MAX_REQUESTS + 10 }, () => loop),
      );
      expect(error, name).toBeInstanceOf(SyncError);
      expect(transport.requests, name).toBeLessThan(MAX_REQUESTS);
    }
  });
});
