import { writeFile } from "node:fs/promises";
import type { TargetWriter } from "../apply/index.js";
import { loadConfig, type AgentConfig } from "../config/index.js";
import { runCycle, type CycleResult, type DirectoryReader, type TargetReader } from "../cycle/index.js";
import { createLogger, createProgress, ProvisioningLog, type Logger } from "../log/index.js";
import { renderPlanText, serialisePlan } from "../plan/index.js";
import { lockState, readState, writeState } from "../state/index.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { renderOnDemand } from "./render-on-demand.js";
import { parseCommand, USAGE } from "./parse-args.js";

export interface Adapters {
  readonly directory: DirectoryReader;
  readonly targetReader: TargetReader;
  readonly writer: TargetWriter;
  close(): Promise<void>;
}

/** Built by main.ts, the composition root: the only place that knows the concrete adapters. */
export type AdapterFactory = (config: AgentConfig, logger: Logger) => Promise<Adapters>;

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Pretty logs for people at a terminal, JSON lines otherwise. */
  readonly prettyLogs: boolean;
  /** Where the live progress line goes (stderr at a terminal), or null for progress log records. */
  readonly progressTerminal: NodeJS.WriteStream | null;
  readonly version: string;
}

/** Runs one command. User mistakes and fatal conditions are thrown for main.ts to map. */
export async function runCli(argv: readonly string[], io: CliIo, buildAdapters: AdapterFactory): Promise<ExitCode> {
  const command = parseCommand(argv, io.env);
  switch (command.name) {
    case "help":
      io.stdout.write(`${USAGE}\n`);
      return EXIT.success;
    case "version":
      io.stdout.write(`${io.version}\n`);
      return EXIT.success;
    case "validate": {
      const config = await loadConfig(command.config, io.env);
      io.stdout.write(`${config.file}: valid (${config.mappings.users.mappings.length} user mappings, ${config.mappings.groups.mappings.length} group mappings)\n`);
      return EXIT.success;
    }
    case "sync": {
      const config = await loadConfig(command.config, io.env);
      const logger = createLogger({ level: config.log.level, pretty: io.prettyLogs });
      // A dry run writes no state, so it may run beside a running agent; a real cycle may not.
      const lock = command.dryRun ? null : await lockState(config.state.path);
      const adapters = await buildAdapters(config, logger);
      const provisioningLog = new ProvisioningLog(logger, config.provisioningLog.file);
      try {
        const result = await runCycle(
          {
            app: config.app.appId !== undefined ? { appId: config.app.appId } : { servicePrincipalId: config.app.servicePrincipalId ?? "" },
            readScope: config.app.scope,
            mappings: config.mappings,
            scopes: config.scoping,
            skipOutOfScopeDeletions: config.scoping.skipOutOfScopeDeletions,
            guard: { ...config.deletionGuard, allow: command.allowDeactivations },
            concurrency: config.klaxoon.concurrency,
            dryRun: command.dryRun,
            onDemand: command.onDemand,
          },
          {
            ...adapters,
            state: {
              read: async () => readStateLogged(config.state.path, logger),
              write: async (state) => writeState(config.state.path, state),
            },
            logger,
            provisioningLog,
            progress: createProgress(logger, io.progressTerminal),
            now: () => new Date(),
            random: Math.random,
          },
        );
        await report(result, command.output, command.planFile, io);
        return exitCodeOf(result);
      } finally {
        await provisioningLog.close();
        await adapters.close();
        await lock?.release();
        logger.flush();
      }
    }
  }
}

async function readStateLogged(path: string, logger: Logger) {
  const result = await readState(path, () => new Date());
  if (result.status === "missing") logger.info({ path }, "no state file yet: first cycle is a full one");
  if (result.status === "unusable") logger.warn({ path, movedTo: result.movedTo, reason: result.reason }, "state file unusable: moved aside, starting from a full cycle");
  return result.state;
}

async function report(result: CycleResult, output: "text" | "json", planFile: string | undefined, io: CliIo): Promise<void> {
  if (planFile !== undefined) await writeFile(planFile, serialisePlan(result.plan), "utf8");
  if (output === "json") {
    io.stdout.write(serialisePlan(result.plan));
    return;
  }
  if (result.onDemandSteps) io.stdout.write(renderOnDemand(result.onDemandSteps, result.plan, result.report));
  else io.stdout.write(`${renderPlanText(result.plan)}\n`);
  if (result.report) {
    io.stdout.write(`\nApplied: ${result.report.succeeded} succeeded, ${result.report.failed} failed.\n`);
  } else {
    io.stdout.write("\nDry run: nothing was written.\n");
  }
}

function exitCodeOf(result: CycleResult): ExitCode {
  switch (result.outcome) {
    case "dryRun":
    case "success":
      return result.plan.guard.held ? EXIT.guardHeld : EXIT.success;
    case "failures":
      return EXIT.partialFailure;
    case "held":
      return EXIT.guardHeld;
  }
}
