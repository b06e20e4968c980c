import { resolve } from "node:path";
import type { GraphEmulator } from "../emulators/graph/index.js";

/** The repository's example mappings file. */
export const EXAMPLE_MAPPINGS = resolve(import.meta.dirname, "../../config/klaxoon.mappings.yaml");

/** `graph.credential` in block style (the lines under `credential:`), so each key has a line of its own. */
export const CLIENT_SECRET_BLOCK: readonly string[] = [
  "    type: clientSecret",
  "    clientSecret: { env: GRAPH_SECRET }",
];

export interface ConfigYamlParts {
  readonly tenantId?: string;
  readonly clientId?: string;
  /** A string: the value on the `credential:` line (flow style); lines: the block under `credential:`. */
  readonly credential?: string | readonly string[];
  /** `graph.endpoint` and `graph.authorityHost`: left out (the defaults) unless given. */
  readonly endpoint?: string;
  readonly authorityHost?: string;
  /** Extra lines inside `graph:` (already indented), e.g. `  nestedGroups: { expand: true }`. */
  readonly graphLines?: readonly string[];
  readonly appId?: string;
  readonly tenantUrl?: string;
  /** The value of `klaxoon.secretToken`, e.g. `{ env: KLAXOON_TOKEN }`. */
  readonly secretToken?: string;
  /** Extra lines inside `klaxoon:` (already indented). */
  readonly klaxoonLines?: readonly string[];
  readonly mappingsPath?: string;
  readonly statePath?: string;
  /** Extra top-level YAML after `state:`: text as it is, or lines. */
  readonly extra?: string | readonly string[];
}

/**
 * A valid config file, one key a line in the order the example has them; each part can be replaced.
 * The defaults: a client secret from GRAPH_SECRET, the Klaxoon token from `token.txt` beside the
 * config, the repository's mappings, `state.json`.
 */
export function configYaml(parts: ConfigYamlParts = {}): string {
  const credential = parts.credential ?? "{ type: clientSecret, clientSecret: { env: GRAPH_SECRET } }";
  const extra = parts.extra ?? "";
  return [
    "graph:",
    `  tenantId: ${parts.tenantId ?? "22222222-2222-2222-2222-222222222222"}`,
    `  clientId: ${parts.clientId ?? "33333333-3333-3333-3333-333333333333"}`,
    ...(typeof credential === "string" ? [`  credential: ${credential}`] : ["  credential:", ...credential]),
    ...(parts.endpoint === undefined ? [] : [`  endpoint: ${parts.endpoint}`]),
    ...(parts.authorityHost === undefined ? [] : [`  authorityHost: ${parts.authorityHost}`]),
    ...(parts.graphLines ?? []),
    "app:",
    `  appId: ${parts.appId ?? "11111111-1111-1111-1111-111111111111"}`,
    "klaxoon:",
    `  tenantUrl: ${parts.tenantUrl ?? "https://klaxoon.example/scim/v2"}`,
    `  secretToken: ${parts.secretToken ?? "{ file: token.txt }"}`,
    ...(parts.klaxoonLines ?? []),
    `mappings: ${JSON.stringify(parts.mappingsPath ?? EXAMPLE_MAPPINGS)}`,
    "state:",
    `  path: ${JSON.stringify(parts.statePath ?? "state.json")}`,
    typeof extra === "string" ? extra : extra.map((line) => `${line}\n`).join(""),
  ].join("\n");
}

export interface AgentConfigParts {
  readonly graph: Pick<GraphEmulator, "tenantId" | "clientId" | "url" | "authorityHost" | "appId">;
  readonly tenantUrl: string;
  readonly mappingsPath: string;
  readonly statePath: string;
  /** Extra lines inside `graph:` (already indented), e.g. `  nestedGroups: { expand: true }`. */
  readonly graphLines?: readonly string[];
  /** Extra lines inside `klaxoon:` (already indented). */
  readonly klaxoonLines?: readonly string[];
  /** Extra top-level YAML. */
  readonly extra?: string;
}

/**
 * The agent's config for a local world: the Graph secret from GRAPH_CLIENT_SECRET, the Klaxoon
 * token from the file `klaxoon-token` beside the config, as an administrator would set them.
 */
export function agentConfigYaml(parts: AgentConfigParts): string {
  return configYaml({
    tenantId: parts.graph.tenantId,
    clientId: parts.graph.clientId,
    credential: "{ type: clientSecret, clientSecret: { env: GRAPH_CLIENT_SECRET } }",
    endpoint: parts.graph.url,
    authorityHost: parts.graph.authorityHost,
    graphLines: parts.graphLines ?? [],
    appId: parts.graph.appId,
    tenantUrl: parts.tenantUrl,
    secretToken: "{ file: klaxoon-token }",
    klaxoonLines: parts.klaxoonLines ?? [],
    mappingsPath: parts.mappingsPath,
    statePath: parts.statePath,
    extra: `${parts.extra ?? ""}\n`,
  });
}
