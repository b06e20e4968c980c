import { Pushgateway, Registry } from "prom-client";
import type { PushgatewaySettings } from "../../config/index.js";
import type { CycleResult } from "../../cycle/index.js";
import type { Logger } from "../../log/index.js";
import { nodeAgentFor, proxyFor, type SystemTrustConnection } from "../../net/index.js";
import { verdictOfResult } from "../quarantine/cycle-verdict.js";
import { createMetrics, type DaemonMetrics } from "./metrics.js";

const LAST_SUCCESS = "entra_klaxoon_sync_last_success_timestamp_seconds";
/** A one-shot run has no quarantine (only the daemon keeps one): pushing "healthy" would be a claim it cannot make. */
const QUARANTINE = "entra_klaxoon_sync_quarantine_state";

/**
 * The metrics of one `sync` (a CronJob run ends before anything could scrape it), pushed to a
 * Pushgateway when it ends: the daemon's own metrics (metrics.ts), filled the same way.
 */
export interface OneShotMetrics {
  /** For the adapters: one count per HTTP answer, as the daemon's. */
  readonly countScimRequest: (status: number | "error") => void;
  readonly countGraphRequest: (status: number | "error") => void;
  cycleFinished(result: CycleResult, seconds: number, at: Date): void;
  /** The cycle (or what had to come before it: the lock, the adapters) threw. */
  cycleFailed(seconds: number): void;
  /** Never rejects: a failed push is a warning in the log, not a failed run. */
  push(): Promise<void>;
}

export function createOneShotMetrics(
  settings: PushgatewaySettings,
  deps: { readonly logger: Logger; readonly connection: SystemTrustConnection },
): OneShotMetrics {
  const metrics: DaemonMetrics = createMetrics();
  let succeeded = false;
  return {
    countScimRequest: metrics.countScimRequest,
    countGraphRequest: metrics.countGraphRequest,
    cycleFinished(result, seconds, at) {
      metrics.recordCycle(result, seconds);
      // The daemon's rule: only a cycle with nothing failed and nothing held back is a success.
      if (verdictOfResult(result).kind === "success") {
        metrics.setLastSuccess(at);
        succeeded = true;
      }
    },
    cycleFailed: (seconds) => metrics.observeCycle("error", seconds),
    push: () => pushMetrics(metrics.registry, settings, { ...deps, lastSuccess: succeeded }),
  };
}

/**
 * POST (prom-client's `pushAdd`), not PUT (`push`). PUT replaces the job's whole group, so a
 * failed run, which has no success time to report, would wipe the last one, and an alert on
 * "last success older than two intervals" would lose its series exactly when it matters. POST
 * replaces only the metric families the body holds: a failed run leaves the last-success gauge
 * out, so the time of the last successful run stays, while every family it does send (the
 * cycle duration with `outcome="error"`, request counts…) replaces the previous run's. Counters
 * are therefore the last run's counts, as usual for batch jobs; Pushgateway's own
 * `push_time_seconds` tells when that run pushed.
 */
export async function pushMetrics(
  registry: Registry,
  settings: PushgatewaySettings,
  options: { readonly logger: Logger; readonly connection: SystemTrustConnection; readonly lastSuccess: boolean },
): Promise<void> {
  const pushed = Registry.merge([registry]);
  pushed.removeSingleMetric(QUARANTINE);
  if (!options.lastSuccess) pushed.removeSingleMetric(LAST_SUCCESS);
  // The WHATWG serialisation of a URL the schema checked: the legacy parser prom-client uses reads it the same way.
  const url = new URL(settings.url).href;
  const gateway = new Pushgateway(
    url,
    {
      timeout: settings.timeoutSeconds * 1000,
      headers: { "Content-Type": pushed.contentType },
      agent: nodeAgentFor(options.connection, url),
    },
    pushed,
  );
  const proxy = proxyFor(options.connection, url);
  const where = {
    pushgateway: withoutCredentials(settings.url),
    job: settings.job,
    // A refusing proxy answers in the gateway's place (HTTP 407): the log must say which one did.
    ...(proxy === null ? {} : { proxy: `${proxy.url} (from ${proxy.from})` }),
  };
  try {
    await quietly(() => gateway.pushAdd({ jobName: settings.job, groupings: { ...settings.groupingLabels } }));
    options.logger.debug(where, "metrics pushed");
  } catch (error) {
    options.logger.warn(
      { ...where, error: scrub(error instanceof Error ? error.message : String(error), settings.url) },
      "metrics push failed: the cycle's result stands",
    );
  }
}

/**
 * prom-client's Pushgateway builds its request with `url.parse()`, which Node 24 deprecates at
 * run time for code outside node_modules: once bundled (dist/agent.mjs), every push would print
 * a DEP0169 warning on stderr, among the JSON log lines. Those calls run synchronously, before
 * the returned promise, so deprecation warnings are silenced for that instant only.
 */
function quietly<T>(start: () => Promise<T>): Promise<T> {
  const before = process.noDeprecation;
  process.noDeprecation = true;
  try {
    return start();
  } finally {
    process.noDeprecation = before;
  }
}

/** The URL as a log may show it: user and password (basic auth) cut out, and query strings too. */
export function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  parsed.search = "";
  return parsed.toString();
}

/** An error message never carries the URL's secrets, however the library or the server phrased it. */
function scrub(message: string, url: string): string {
  const { username, password, search } = new URL(url);
  const secrets = [password, decodeURIComponent(password), username, decodeURIComponent(username), search.slice(1)];
  return secrets
    .filter((secret) => secret.length >= 3)
    .reduce((out, secret) => out.replaceAll(secret, "[redacted]"), message)
    .slice(0, 500);
}
