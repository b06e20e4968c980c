import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { fuzzParameters, seeded } from "../support/fuzz-seed.js";
import { loadConfig } from "../../src/config/index.js";
import { ConfigError } from "../../src/model/index.js";
import { SCOPING_OPERATORS } from "../../src/scope/index.js";

/**
 * Whatever is in the config file, the loader answers with a valid config or a ConfigError that
 * names the file (and, for a bad value or a bad path, the key path and line): never another exception.
 * Three generators: YAML-shaped noise, a valid config with one value replaced or one key added
 * or removed anywhere, and scoping filters with random operators, values and regular expressions.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const MAPPINGS = join(ROOT, "config", "klaxoon.mappings.yaml");
const env = { GRAPH_SECRET: "s" };
/** Errors about one key's value that schema validation cannot see: a file it names, a variable it names. */
const KEY_ERROR_CODES: ReadonlySet<string> = new Set([
  "CONFIG_UNREADABLE",
  "CONFIG_UNWRITABLE",
  "CONFIG_SECRET_UNREADABLE",
  "CONFIG_SECRET_MISSING",
]);

const VALID: Record<string, unknown> = {
  graph: {
    tenantId: "22222222-2222-2222-2222-222222222222",
    clientId: "33333333-3333-3333-3333-333333333333",
    credential: { type: "clientSecret", clientSecret: { env: "GRAPH_SECRET" } },
    endpoint: "https://graph.microsoft.com",
  },
  app: { appId: "11111111-1111-1111-1111-111111111111", scope: "assigned" },
  klaxoon: {
    tenantUrl: "https://klaxoon.example/scim/v2",
    secretToken: { file: "token.txt" },
    requestsPerSecond: 16,
    concurrency: 8,
  },
  scoping: {
    users: [[{ attribute: "department", operator: "EQUALS", value: "Sales" }]],
    groups: [],
    skipOutOfScopeDeletions: false,
  },
  mappings: MAPPINGS,
  state: { path: "state.json" },
  deletionGuard: { maxDeactivations: 10, maxDeactivationPercent: 5 },
  log: { level: "info" },
  daemon: { intervalMinutes: 40, quarantine: { maxConsecutiveErrors: 3 }, health: { port: 8080 } },
  provisioningLog: { file: "provisioning.jsonl" },
};

let dir: string;
let configPath: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "eks-fuzz-config-"));
  configPath = join(dir, "config.yaml");
  await writeFile(join(dir, "token.txt"), "token\n");
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** Loads `text`; returns null when valid, else the ConfigError (anything else fails the test). */
async function load(text: string): Promise<ConfigError | null> {
  await writeFile(configPath, text);
  try {
    await loadConfig(configPath, env);
    return null;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error;
  }
}

const FRAGMENTS = [
  "graph:",
  "klaxoon:",
  "scoping:",
  "mappings:",
  "state:",
  "daemon:",
  "  ",
  "    ",
  "- ",
  ": ",
  "\n",
  "{",
  "}",
  "[",
  "]",
  ",",
  "'",
  '"',
  "\\",
  "&anchor ",
  "*anchor",
  "!!binary ",
  "!tag ",
  "---\n",
  "...\n",
  "#",
  "|\n",
  ">\n",
  "? ",
  "<<: *a\n",
  "null",
  "~",
  "true",
  "1e999",
  "-0",
  "0x1F",
  "tenantUrl: http://x",
  "secretToken: { env: NOPE }",
  "path: /",
  "\t",
  "\u0000",
  "\ufeff",
  "%YAML 1.2\n",
  "users:\n  - - attribute: a\n      operator: REGEX MATCH\n      value: '('",
];

describe("config loader under fuzzed input", () => {
  it(seeded("YAML-shaped noise: a config or a ConfigError naming the file"), async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join("")),
          fc.string({ unit: "binary", maxLength: 200 }),
        ),
        async (text) => {
          const error = await load(text);
          if (error) expect(error.message).toContain(configPath);
        },
      ),
      fuzzParameters({ numRuns: 300 }),
    );
  });

  // Found by the properties here; kept as fixed examples.
  it.each([
    ["an alias to a missing anchor", "graph: *nowhere\n", /invalid YAML: .*anchor/],
    [
      "a billion-laughs alias bomb",
      `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(", ")}]`,
      ).join("\n")}\n`,
      /invalid YAML/,
    ],
    [
      "an empty Tenant URL",
      stringify({ ...VALID, klaxoon: { ...(VALID["klaxoon"] as object), tenantUrl: "" } }),
      /klaxoon\.tenantUrl: Invalid URL/,
    ],
  ])("%s is a ConfigError naming the file", async (_what, text, message) => {
    const error = await load(text);
    expect(error?.message).toContain(configPath);
    expect(error?.message).toMatch(message);
  });

  it(
    seeded("a valid config with one value replaced, added or removed: the error names the file, the line and the key"),
    async () => {
      const paths = keyPaths(VALID);
      const replacement = fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.string(),
        fc.constantFrom("", "http://remote.example", "-1", "(", "[a]", 1e308, -1, 0),
      );
      let invalid = 0;
      let keyErrors = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...paths),
          replacement,
          fc.constantFrom("replace", "remove", "add"),
          async (path, value, how) => {
            const config = mutate(structuredClone(VALID), path, value, how);
            const error = await load(stringify(config));
            if (!error) return;
            invalid += 1;
            if (error.code === "CONFIG_INVALID") {
              // Every issue line is "<file>:<line>:<column>: <key path>: <what was expected>".
              for (const line of error.message.split("\n"))
                expect(line).toMatch(new RegExp(`^${escapeRegExp(configPath)}:\\d+:\\d+: [^:]+: .+`));
            } else if (KEY_ERROR_CODES.has(error.code)) {
              keyErrors += 1;
              // A bad path or a missing secret: "<file>:<line>:<column>: <key>: …", the key at or below the one mutated.
              const [, key] =
                new RegExp(`^${escapeRegExp(configPath)}:\\d+:\\d+: ([^:]+): .+`).exec(error.message) ?? [];
              expect(key, error.message).toBeDefined();
              expect(`${key}.`.startsWith(`${path.join(".")}.`), `${error.message} (mutated ${path.join(".")})`).toBe(
                true,
              );
            } else {
              expect(error.message).toMatch(
                new RegExp(
                  `${escapeRegExp(configPath)}|${escapeRegExp(MAPPINGS)}|${escapeRegExp(dir)}|\\bgraph\\.|\\bklaxoon\\.|\\bscoping\\.|\\bdaemon\\.`,
                ),
              );
            }
          },
        ),
        fuzzParameters({ numRuns: 300 }),
      );
      expect(invalid).toBeGreaterThan(50);
      expect(keyErrors).toBeGreaterThan(0);
    },
  );

  it(
    seeded(
      "random scoping filters (operators, values, regular expressions): compiled, or FILTER_INVALID naming the clause",
    ),
    async () => {
      const operator = fc.constantFrom(...SCOPING_OPERATORS);
      const regexish = fc
        .array(
          fc.constantFrom(
            "(",
            ")",
            "a",
            "+",
            "*",
            "?",
            "[",
            "]",
            "^",
            "$",
            "\\",
            "{2,}",
            "(?i)",
            "(?<n>",
            "(?=",
            "\\1",
            "|",
            ".",
            "\\p{L}",
          ),
          { maxLength: 20 },
        )
        .map((p) => p.join(""));
      const clause = fc.record(
        {
          attribute: fc.constantFrom("department", "jobTitle", "extensionAttribute1", "x"),
          operator,
          value: fc.option(fc.oneof(regexish, fc.string(), fc.integer().map(String)), { nil: undefined }),
        },
        { requiredKeys: ["attribute", "operator"] },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(clause, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
          async (users) => {
            const error = await load(stringify({ ...VALID, scoping: { users, groups: [] } }));
            if (error)
              expect(error.message).toMatch(
                new RegExp(`^${escapeRegExp(configPath)}.*scoping\\.users\\[?\\.?\\d`, "s"),
              );
          },
        ),
        fuzzParameters({ numRuns: 200 }),
      );
    },
  );
});

type Path = readonly (string | number)[];

function keyPaths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => keyPaths(child, [...prefix, key]))].filter((p) => p.length > 0);
}

function mutate(
  root: Record<string, unknown>,
  path: Path,
  value: unknown,
  how: "replace" | "remove" | "add",
): Record<string, unknown> {
  let parent: unknown = root;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
  const last = path.at(-1) as string | number;
  const target = parent as Record<string | number, unknown>;
  if (how === "remove") delete target[last];
  else if (how === "add" && typeof target[last] === "object" && target[last] !== null && !Array.isArray(target[last]))
    (target[last] as Record<string, unknown>)["unexpectedKey"] = value;
  else target[last] = value;
  return root;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
