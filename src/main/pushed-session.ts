/**
 * `sync` with `metrics.pushgateway` set: the session counts what the daemon counts, and each
 * real cycle ends with one push, whatever its outcome. A dry run does not push: its metrics
 * (no writes, no success) would replace the real job's in the same group. An on-demand cycle
 * does not either: one object is not the reconcile a "last success" alert is about.
 */
import type { AgentSession } from "../cli/index.js";
import type { AgentConfig, PushgatewaySettings } from "../config/index.js";
import type { OneShotMetrics } from "../daemon/index.js";
import type { Logger } from "../log/index.js";
import type { Clock } from "../model/index.js";
import type { SystemTrustConnection } from "../net/index.js";
import type { RequestObservers } from "./adapter-settings.js";

export async function openPushedSession(
  settings: PushgatewaySettings,
  parts: { readonly logger: Logger; readonly clock: Clock; readonly connection: SystemTrustConnection },
  open: (observers: RequestObservers) => Promise<AgentSession>,
): Promise<AgentSession> {
  // Loaded only here: prom-client is the daemon's, and a sync without a Pushgateway never needs it.
  const { createOneShotMetrics } = await import("../daemon/index.js");
  const { logger, clock, connection } = parts;
  const metrics: OneShotMetrics = createOneShotMetrics(settings, {
    logger: logger.child({ component: "pushgateway" }),
    connection,
  });
  const observers = { scimResponse: metrics.countScimRequest, graphResponse: metrics.countGraphRequest };
  const openedAt = clock.now();
  let session: AgentSession;
  try {
    session = await open(observers);
  } catch (error) {
    // The lock or the adapters failed: for a CronJob, that is a failed run like any other.
    metrics.cycleFailed(secondsSince(clock, openedAt));
    await metrics.push();
    throw error;
  }
  return {
    logger: session.logger,
    close: () => session.close(),
    runOnce: async (cycle) => {
      if (cycle.dryRun || cycle.onDemand !== undefined) {
        logger.debug({ dryRun: cycle.dryRun, onDemand: cycle.onDemand !== undefined }, "metrics not pushed");
        return session.runOnce(cycle);
      }
      const startedAt = clock.now();
      try {
        const result = await session.runOnce(cycle);
        const finishedAt = clock.now();
        metrics.cycleFinished(result, (finishedAt.getTime() - startedAt.getTime()) / 1000, finishedAt);
        return result;
      } catch (error) {
        metrics.cycleFailed(secondsSince(clock, startedAt));
        throw error;
      } finally {
        await metrics.push();
      }
    },
  };
}

/** Whether a session for these options pushes at all (a dry run opens without the lock, and never pushes). */
export function pushgatewayFor(config: AgentConfig, options: { readonly lock: boolean }): PushgatewaySettings | null {
  return options.lock ? (config.metrics.pushgateway ?? null) : null;
}

function secondsSince(clock: Clock, start: Date): number {
  return (clock.now().getTime() - start.getTime()) / 1000;
}
