/**
 * Full adapter settings for tests that care about a few fields: the rest come from the config's
 * default constants, as the composition passes them, so tests and the agent run on the same values.
 */
import {
  GRAPH_DEFAULTS,
  GRAPH_FIXED_SETTINGS,
  KLAXOON_DEFAULTS,
  KLAXOON_FIXED_SETTINGS,
} from "../../src/config/index.js";
import type { GraphSettings } from "../../src/graph/index.js";
import type { ConnectionSettings } from "../../src/net/index.js";
import type { ScimClientSettings } from "../../src/scim/settings.js";

/** A direct connection trusting the system's CAs (and NODE_EXTRA_CA_CERTS, the tests' CA). */
export function directConnection(name: string): ConnectionSettings {
  return { name, proxy: null, ca: null, caKey: null, urlKey: null };
}

/** `K` must be given; the other fields may be. */
type WithRequired<T, K extends keyof T> = Pick<T, K> & Partial<Omit<T, K>>;

/** SCIM client settings: the Tenant URL and token, anything else as the config defaults it. */
export function scimSettings(settings: WithRequired<ScimClientSettings, "tenantUrl" | "token">): ScimClientSettings {
  return {
    concurrency: KLAXOON_DEFAULTS.concurrency,
    requestsPerSecond: KLAXOON_DEFAULTS.requestsPerSecond,
    timeoutMs: KLAXOON_DEFAULTS.timeoutSeconds * 1000,
    memberChunkSize: KLAXOON_DEFAULTS.memberChunkSize,
    patchDialect: KLAXOON_DEFAULTS.patchDialect,
    extensionInSchemas: KLAXOON_DEFAULTS.extensionInSchemas,
    ...KLAXOON_FIXED_SETTINGS,
    connection: directConnection("Klaxoon SCIM"),
    ...settings,
  };
}

/** Graph reader settings: the endpoint and authority, anything else as the config defaults it. */
export function graphSettings(settings: WithRequired<GraphSettings, "endpoint" | "authorityHost">): GraphSettings {
  return {
    ...GRAPH_FIXED_SETTINGS,
    maxRetries: GRAPH_DEFAULTS.maxRetries,
    requestTimeoutMs: GRAPH_DEFAULTS.requestTimeoutSeconds * 1000,
    fullReadIntervalHours: GRAPH_DEFAULTS.fullReadIntervalHours,
    nestedGroups: { expand: GRAPH_DEFAULTS.nestedGroupsExpand, maxDepth: GRAPH_DEFAULTS.nestedGroupsMaxDepth },
    membershipGroups: [],
    connection: directConnection("Graph"),
    ...settings,
  };
}
