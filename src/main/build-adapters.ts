/**
 * The concrete adapters (Graph reader, SCIM client) for a config. They load lazily: `--help`,
 * `--version` and `validate` never pay for Azure's SDK.
 */
import type { TargetWriter } from "../apply/index.js";
import type { AgentConfig } from "../config/index.js";
import type { IncrementalDirectoryReader, TargetReader } from "../cycle/index.js";
import type { Logger } from "../log/index.js";
import type { Clock } from "../model/index.js";
import { graphSettingsFor, scimSettingsFor, tokenConnection, type RequestObservers } from "./adapter-settings.js";
import { graphCredentialSettings } from "./graph-credential.js";

export interface Adapters {
  readonly directory: IncrementalDirectoryReader;
  readonly targetReader: TargetReader;
  readonly writer: TargetWriter;
  close(): Promise<void>;
}

export async function buildAdapters(
  config: AgentConfig,
  logger: Logger,
  observers: RequestObservers,
  clock: Clock,
): Promise<Adapters> {
  const [{ createCredential, createIncrementalDirectoryReader }, { createScimClient }] = await Promise.all([
    import("../graph/index.js"),
    import("../scim/index.js"),
  ]);
  const credential = createCredential(graphCredentialSettings(config), {
    authorityHost: config.graph.authorityHost,
    connection: tokenConnection(config),
  });
  const directory = createIncrementalDirectoryReader(
    graphSettingsFor(config, observers),
    credential,
    logger.child({ component: "graph" }),
    clock,
  );
  const scim = createScimClient(scimSettingsFor(config), {
    clock,
    logger: logger.child({ component: "scim" }),
    onResponse: observers.scimResponse,
  });
  return { directory, targetReader: scim, writer: scim, close: () => scim.close() };
}
