/** What the client's reads and writes share: the one request executor, the settings, the server's config. */
import type { RequestExecutor, ScimLogger } from "./http/execute-request.js";
import { fetchServiceProviderConfig, type ServiceProviderInfo } from "./read/service-provider.js";
import type { ScimClientSettings } from "./settings.js";

export interface ScimContext {
  readonly executor: RequestExecutor;
  readonly settings: ScimClientSettings;
  readonly logger: ScimLogger | undefined;
  /** Null when the server has no (readable) /ServiceProviderConfig. Read once, then cached. */
  readServiceProviderConfig(): Promise<ServiceProviderInfo | null>;
  /** The page size listings ask for: the configured one, else what the server says it serves. */
  pageSize(): Promise<number>;
}

/** What RFC 7644 lets a server serve when it does not say (`filter.maxResults` absent). */
const UNADVERTISED_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export function createScimContext(
  executor: RequestExecutor,
  settings: ScimClientSettings,
  logger: ScimLogger | undefined,
): ScimContext {
  let providerConfig: Promise<ServiceProviderInfo | null> | null = null;
  const readServiceProviderConfig = (): Promise<ServiceProviderInfo | null> =>
    (providerConfig ??= fetchServiceProviderConfig(executor));
  return {
    executor,
    settings,
    logger,
    readServiceProviderConfig,
    async pageSize() {
      if (settings.pageSize !== null) return settings.pageSize;
      const config = await readServiceProviderConfig();
      return Math.min(MAX_PAGE_SIZE, config?.maxResults ?? UNADVERTISED_PAGE_SIZE);
    },
  };
}
