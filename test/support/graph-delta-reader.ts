/** Delta reads over the same client, retry policy and error mapping as full reads. */
import type { TokenCredential } from "@azure/identity";
import { createGraphClient } from "./create-graph-client.js";
import { GraphApi } from "./graph-api.js";
import { silentLogger, type GraphLogger } from "./logger.js";
import { readDelta, type DeltaRound, type DeltaStart } from "./read-delta.js";
import type { ReaderHooks } from "./read-snapshot.js";
import { realSleep } from "./retry-middleware.js";
import type { GraphSettings } from "./settings.js";

export interface GraphDeltaReader {
  /** One round: iterate `changes` to the end, then store `deltaLink()` for the next round. */
  readDelta(start: DeltaStart): DeltaRound;
}

export function createGraphDeltaReader(
  settings: GraphSettings, credential: TokenCredential, logger: GraphLogger = silentLogger, hooks: ReaderHooks = {},
): GraphDeltaReader {
  const api = new GraphApi(createGraphClient(settings, credential, logger, hooks.sleep ?? realSleep));
  return { readDelta: (start) => readDelta(api, start, logger) };
}
