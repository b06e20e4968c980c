import type { AgentConfig } from "../config/index.js";
import { revealSecrets } from "../config/index.js";
import {
  abortOnSignals, assessIntervalFloor, createMetrics, createWebhookNotifier, initialHealth, parseQuarantineState, runDaemon, startHealthServer, systemClock,
  type QuarantineState,
} from "../daemon/index.js";
import type { Logger } from "../log/index.js";
import { readState, writeState } from "../state/index.js";
import { openAgentSession, type AdapterFactory, type SessionIo } from "./agent-session.js";
import { EXIT, type ExitCode } from "./exit-codes.js";

/**
 * `run`: cycles on a schedule until SIGTERM/SIGINT, with quarantine, health and metrics. The
 * quarantine record lives in the state file, so it survives restarts.
 */
export async function runDaemonCommand(config: AgentConfig, io: SessionIo, buildAdapters: AdapterFactory): Promise<ExitCode> {
  const metrics = createMetrics();
  const observers = { scimResponse: metrics.countScimRequest, graphResponse: metrics.countGraphRequest };
  const session = await openAgentSession(config, io, buildAdapters, { lock: true, observers });
  const logger = session.logger;
  const shutdown = abortOnSignals(process, { logger, onSecondSignal: () => process.exit(130) });
  const health = initialHealth();
  const { daemon } = config;
  if (daemon.cron === undefined) await warnIfIntervalBelowFloor(config, logger);
  const server = daemon.health.enabled ? await startHealthServer({ host: daemon.health.host, port: daemon.health.port, status: () => health, metrics, logger }) : null;
  if (server) logger.info({ url: server.url }, "health and metrics listening");
  const notifier = daemon.webhook ? createWebhookNotifier(daemon.webhook, { logger, now: () => new Date(), secrets: revealSecrets(config) }) : undefined;
  try {
    const exit = await runDaemon({
      settings: daemon,
      runCycle: () => session.runOnce({ dryRun: false, allowDeactivations: false }),
      loadQuarantine: async () => {
        const saved = (await readState(config.state.path, () => new Date())).state.quarantine;
        return saved === null ? null : parseQuarantineState(saved);
      },
      saveQuarantine: async (quarantine: QuarantineState) => {
        const { state } = await readState(config.state.path, () => new Date());
        await writeState(config.state.path, { ...state, quarantine: { ...quarantine } });
      },
      clock: systemClock,
      logger,
      signal: shutdown.signal,
      ...(notifier ? { notifier } : {}),
      metrics,
      health,
      klaxoonRequestsPerSecond: config.klaxoon.requestsPerSecond,
    });
    logger.info({ cycles: exit.cycles, quarantine: exit.quarantine.status, abandonedCycle: exit.abandonedCycle }, "daemon stopped");
    return EXIT.success;
  } finally {
    await server?.close();
    shutdown.dispose();
    await session.close();
  }
}

/** The last known object count (the state file's links) against the interval and rate budget. */
async function warnIfIntervalBelowFloor(config: AgentConfig, logger: Logger): Promise<void> {
  const { links } = (await readState(config.state.path, () => new Date())).state;
  const warning = assessIntervalFloor({
    intervalMinutes: config.daemon.intervalMinutes,
    managedUsers: Object.keys(links.users).length,
    managedGroups: Object.keys(links.groups).length,
    klaxoonRequestsPerSecond: config.klaxoon.requestsPerSecond,
  });
  if (warning) logger.warn({ code: "INTERVAL_BELOW_FLOOR", floorSeconds: warning.floorSeconds, suggestedIntervalMinutes: warning.suggestedIntervalMinutes }, `interval too short: ${warning.message}`);
}
