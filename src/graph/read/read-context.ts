/** What every Graph read builds once from the settings: the API, the read options, the credential check. */
import type { TokenCredential } from "@azure/identity";
import type { Clock } from "../../model/index.js";
import { createGraphClient, retryPolicyFor } from "../client/create-graph-client.js";
import { GraphApi } from "../client/graph-api.js";
import { credentialError } from "../client/graph-errors.js";
import type { GraphLogger } from "../client/logger.js";
import { graphScope, type GraphSettings } from "../settings.js";
import type { ScopedReadOptions } from "./read-scoped.js";

/** Graph's largest `$top`. */
const MAX_PAGE_SIZE = 999;

export interface GraphReadContext {
  readonly api: GraphApi;
  readonly options: ScopedReadOptions;
  /** Gets a token first, so a credential problem is reported as such (not as a Graph failure). */
  checkCredential(): Promise<void>;
}

export function createReadContext(
  settings: GraphSettings,
  credential: TokenCredential,
  logger: GraphLogger,
  clock: Clock,
): GraphReadContext {
  const scope = graphScope(settings.endpoint);
  return {
    api: new GraphApi(createGraphClient(settings, credential, logger, clock)),
    options: {
      concurrency: settings.concurrency,
      policy: retryPolicyFor(settings),
      clock,
      logger,
      pageSize: Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(settings.pageSize))),
      listAllUsersThreshold: settings.listAllUsersThreshold,
      membership: {
        expand: settings.nestedGroups.expand,
        maxDepth: settings.nestedGroups.maxDepth,
        referenced: settings.membershipGroups,
      },
    },
    async checkCredential() {
      try {
        await credential.getToken(scope);
      } catch (error) {
        throw credentialError(error);
      }
    },
  };
}
