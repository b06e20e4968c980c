import { EXIT, type AgentSession, type ExitCode } from "../cli/index.js";
import { revealSecrets, type AgentConfig } from "../config/index.js";
import {
  abortOnSignals,
  assessIntervalFloor,
  createMetrics,
  createWebhookNotifier,
  initialHealth,
  parseQuarantineState,
  runDaemon,
  startHealthServer,
  type DaemonMetrics,
  type QuarantineState,
} from "../daemon/index.js";
import type { Logger } from "../log/index.js";
import type { Clock } from "../model/index.js";
import type { StateStore } from "../state/index.js";
import { webhookConnection, type RequestObservers } from "./adapter-settings.js";

export interface DaemonParts {
  readonly store: StateStore;
  readonly clock: Clock;
  openSession(observers: RequestObservers): Promise<AgentSession>;
}

/**
 * `run`: cycles on a schedule until SIGTERM/SIGINT, with quarantine, health and metrics. The
 * quarantine record lives in the state file, so it survives restarts.
 */
export async function runDaemonCommand(config: AgentConfig, parts: DaemonParts): Promise<ExitCode> {
  const { store, clock } = parts;
  const metrics: DaemonMetrics = createMetrics();
  const session = await parts.openSession({
    scimResponse: metrics.countScimRequest,
    graphResponse: metrics.countGraphRequest,
  });
  const logger = session.logger;
  const shutdown = abortOnSignals(process, { logger, onSecondSignal: () => process.exit(130) });
  const health = initialHealth();
  const { daemon } = config;
  if (daemon.cron === undefined) await warnIfIntervalBelowFloor(config, store, logger);
  const server = daemon.health.enabled
    ? await startHealthServer({
        host: daemon.health.host,
        port: daemon.health.port,
        status: () => health,
        metrics,
        logger,
      })
    : null;
  if (server) logger.info({ url: server.url }, "health and metrics listening");
  const notifier = daemon.webhook
    ? createWebhookNotifier(daemon.webhook, {
        logger,
        now: () => clock.now(),
        secrets: revealSecrets(config),
        connection: webhookConnection(config),
      })
    : undefined;
  let savedQuarantine: string | null = null;
  try {
    // runDaemon logs "daemon stopped" itself, with the cycles and the quarantine status.
    await runDaemon({
      settings: daemon,
      runCycle: () => session.runOnce({ dryRun: false, allowDeactivations: false }),
      runLane: () =>
        session.runOnce({
          dryRun: false,
          allowDeactivations: false,
          lane: { relistAssignments: daemon.leaverLane.relistAssignments },
        }),
      loadQuarantine: async () => {
        const saved = (await store.read()).state.quarantine;
        const loaded = saved === null ? null : parseQuarantineState(saved);
        savedQuarantine = loaded === null ? null : JSON.stringify(loaded);
        return loaded;
      },
      // Only a change is written: the state file is ten megabytes at 100,000 users, and rewriting
      // it after every healthy cycle would also end its quiet record (cycle/quiet/) each time.
      // A cycle's own write keeps the record it read, so the file's stays the one saved here.
      saveQuarantine: async (quarantine: QuarantineState) => {
        const text = JSON.stringify(quarantine);
        if (text === savedQuarantine) return;
        await store.update((state) => ({ ...state, quarantine: { ...quarantine } }));
        savedQuarantine = text;
      },
      clock,
      logger,
      signal: shutdown.signal,
      ...(notifier ? { notifier } : {}),
      metrics,
      health,
      klaxoonRequestsPerSecond: config.klaxoon.requestsPerSecond,
    });
    return EXIT.success;
  } finally {
    await server?.close();
    shutdown.dispose();
    await session.close();
  }
}

/** The last known object count (the state file's links) against the interval and rate budget. */
async function warnIfIntervalBelowFloor(config: AgentConfig, store: StateStore, logger: Logger): Promise<void> {
  const { links } = (await store.read()).state;
  const warning = assessIntervalFloor({
    intervalMinutes: config.daemon.intervalMinutes,
    managedUsers: Object.keys(links.users).length,
    managedGroups: Object.keys(links.groups).length,
    klaxoonRequestsPerSecond: config.klaxoon.requestsPerSecond,
  });
  if (warning) {
    const { floorSeconds, suggestedIntervalMinutes } = warning;
    logger.warn(
      { code: "INTERVAL_BELOW_FLOOR", floorSeconds, suggestedIntervalMinutes },
      `interval too short: ${warning.message}`,
    );
  }
}
