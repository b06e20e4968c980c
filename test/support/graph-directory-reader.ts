/**
 * The cycle's DirectoryReader over a full Graph read only (no checkpoint, no delta): what the
 * Graph tests compare incremental reads against. The agent itself reads through
 * createIncrementalDirectoryReader, so this lives with the tests.
 */
import type { TokenCredential } from "@azure/identity";
import type { DirectoryReader } from "../../src/cycle/index.js";
import { silentLogger } from "../../src/graph/client/logger.js";
import type { GraphLogger, GraphSettings } from "../../src/graph/index.js";
import { createReadContext } from "../../src/graph/read/read-context.js";
import { readFull } from "../../src/graph/snapshot/read-full.js";
import { type Clock, systemClock } from "../../src/model/index.js";

export interface DirectoryReaderHooks {
  /** Waits between retries (tests pass a recorder that does not wait). */
  readonly sleep?: Clock["sleep"];
}

export function createGraphDirectoryReader(
  settings: GraphSettings,
  credential: TokenCredential,
  logger: GraphLogger = silentLogger,
  hooks: DirectoryReaderHooks = {},
): DirectoryReader {
  const clock: Clock = { ...systemClock, sleep: hooks.sleep ?? systemClock.sleep };
  const context = createReadContext(settings, credential, logger, clock);
  return {
    async readSnapshot(request) {
      await context.checkCredential();
      return (await readFull(context, request)).snapshot;
    },
  };
}
