/**
 * Delta rounds on their own, over the same client, retry policy and error mapping as the
 * agent's reads: for tests of delta paging and token expiry (the agent reads delta rounds
 * through its incremental reader only).
 */
import type { TokenCredential } from "@azure/identity";
import { createGraphClient } from "../../src/graph/client/create-graph-client.js";
import { GraphApi } from "../../src/graph/client/graph-api.js";
import { silentLogger, type GraphLogger } from "../../src/graph/client/logger.js";
import { readDeltaRound, type DeltaRound, type DeltaStart } from "../../src/graph/delta/delta-round.js";
import type { GraphSettings } from "../../src/graph/index.js";
import { type Clock, systemClock } from "../../src/model/index.js";

export type { DeltaChange, DeltaRound } from "../../src/graph/delta/delta-round.js";

export interface GraphDeltaReader {
  /** One round: iterate `changes` to the end, then store `deltaLink()` for the next round. */
  readDelta(start: DeltaStart): DeltaRound;
}

export function createGraphDeltaReader(
  settings: GraphSettings,
  credential: TokenCredential,
  logger: GraphLogger = silentLogger,
  clock: Clock = systemClock,
): GraphDeltaReader {
  const api = new GraphApi(createGraphClient(settings, credential, logger, clock));
  return { readDelta: (start) => readDeltaRound(api, start, logger) };
}
