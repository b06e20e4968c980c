/**
 * The concrete adapters (Graph reader, SCIM client) for a config: the composition root's one
 * factory, in its own module so tests can run cycles in-process without starting main().
 */
import { graphCredentialSettings, type Adapters, type RequestObservers } from "./cli/index.js";
import { GRAPH_DEFAULTS, KLAXOON_DEFAULTS, type AgentConfig } from "./config/index.js";
import type { Logger } from "./log/index.js";

/** Adapters load lazily: `--help`, `--version` and `validate` never pay for Azure's SDK. */
export async function buildAdapters(config: AgentConfig, logger: Logger, observers: RequestObservers): Promise<Adapters> {
  const [{ createCredential, createIncrementalDirectoryReader, systemGraphClock }, { createScimClient, systemScimClock }] = await Promise.all([import("./graph/index.js"), import("./scim/index.js")]);
  const graph = {
    endpoint: config.graph.endpoint,
    authorityHost: config.graph.authorityHost,
    fullReadIntervalHours: config.graph.fullReadIntervalHours,
    nestedGroups: config.graph.nestedGroups,
    membershipGroups: config.scoping.users.membershipGroups,
    requestTimeoutMs: config.graph.requestTimeoutSeconds * 1000,
    maxRetries: config.graph.maxRetries,
    ...GRAPH_DEFAULTS_NOT_IN_FILE,
    ...(observers.graphResponse ? { onResponse: observers.graphResponse } : {}),
  };
  const credential = createCredential(graphCredentialSettings(config), { authorityHost: config.graph.authorityHost });
  const directory = createIncrementalDirectoryReader(graph, credential, logger.child({ component: "graph" }), systemGraphClock);
  const klaxoon = config.klaxoon;
  const scim = createScimClient(
    {
      tenantUrl: klaxoon.tenantUrl,
      token: klaxoon.secretToken.reveal(),
      concurrency: klaxoon.concurrency,
      requestsPerSecond: klaxoon.requestsPerSecond,
      timeoutMs: klaxoon.timeoutSeconds * 1000,
      patchDialect: klaxoon.patchDialect,
      extensionInSchemas: klaxoon.extensionInSchemas,
      memberChunkSize: klaxoon.memberChunkSize,
      ...KLAXOON_DEFAULTS_NOT_IN_FILE,
    },
    { clock: systemScimClock, logger: logger.child({ component: "scim" }), onResponse: observers.scimResponse },
  );
  return { directory, targetReader: scim, writer: scim, close: () => scim.close() };
}

/** Graph knobs the config file does not offer: their defaults, from config/. */
const GRAPH_DEFAULTS_NOT_IN_FILE = {
  pageSize: GRAPH_DEFAULTS.pageSize, retryBaseDelayMs: GRAPH_DEFAULTS.retryBaseDelayMs, maxRetryDelayMs: GRAPH_DEFAULTS.maxRetryDelayMs,
  concurrency: GRAPH_DEFAULTS.concurrency, listAllUsersThreshold: GRAPH_DEFAULTS.listAllUsersThreshold,
  acceptLanguage: GRAPH_DEFAULTS.acceptLanguage, throttlePriority: GRAPH_DEFAULTS.throttlePriority,
};

/** SCIM knobs the config file does not offer: their defaults, from config/. */
const { connectTimeoutMs, pageSize, maxRetries, retryBaseDelayMs, maxRetryDelayMs, maxResponseBytes, rateHeadroom } = KLAXOON_DEFAULTS;
const KLAXOON_DEFAULTS_NOT_IN_FILE = { connectTimeoutMs, pageSize, maxRetries, retryBaseDelayMs, maxRetryDelayMs, maxResponseBytes, rateHeadroom };
