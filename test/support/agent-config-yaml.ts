import type { GraphEmulator } from "../emulators/graph/index.js";

export interface AgentConfigParts {
  readonly graph: Pick<GraphEmulator, "tenantId" | "clientId" | "url" | "authorityHost" | "appId">;
  readonly tenantUrl: string;
  readonly mappingsPath: string;
  readonly statePath: string;
  /** Extra lines inside `graph:` (already indented). */
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
  return [
    "graph:",
    `  tenantId: ${parts.graph.tenantId}`,
    `  clientId: ${parts.graph.clientId}`,
    "  credential: { type: clientSecret, clientSecret: { env: GRAPH_CLIENT_SECRET } }",
    `  endpoint: ${parts.graph.url}`,
    `  authorityHost: ${parts.graph.authorityHost}`,
    ...(parts.graphLines ?? []),
    "app:",
    `  appId: ${parts.graph.appId}`,
    "klaxoon:",
    `  tenantUrl: ${parts.tenantUrl}`,
    "  secretToken: { file: klaxoon-token }",
    ...(parts.klaxoonLines ?? []),
    `mappings: ${JSON.stringify(parts.mappingsPath)}`,
    "state:",
    `  path: ${JSON.stringify(parts.statePath)}`,
    parts.extra ?? "",
    "",
  ].join("\n");
}
