import { loadConfig } from "../config/index.js";
import { createLogger } from "../log/index.js";
import { renderConnectionReport, testConnection } from "./test-connection.js";
import { openAgentSession, type AdapterFactory, type SessionIo } from "./agent-session.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { parseCommand, USAGE } from "./parse-args.js";
import { exitCodeOf, reportCycle } from "./report-cycle.js";
import { resetProvisioning } from "./reset-command.js";

export interface CliIo extends SessionIo {
  readonly stdout: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
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
    case "run": {
      // Loaded only here: the daemon brings metrics and the health server, which one-shot commands never use.
      const { runDaemonCommand } = await import("./run-daemon-command.js");
      return runDaemonCommand(await loadConfig(command.config, io.env), io, buildAdapters);
    }
    case "test-connection": {
      const config = await loadConfig(command.config, io.env);
      const logger = createLogger({ level: config.log.level, pretty: io.prettyLogs });
      const { buildConnectionProbes } = await import("./connection-probes.js");
      const report = await testConnection(config, buildConnectionProbes(config, logger));
      io.stdout.write(renderConnectionReport(report));
      return report.ok ? EXIT.success : EXIT.fatal;
    }
    case "reset": {
      const config = await loadConfig(command.config, io.env);
      io.stdout.write(`${await resetProvisioning(config, command)}\n`);
      return EXIT.success;
    }
    case "sync": {
      const config = await loadConfig(command.config, io.env);
      const session = await openAgentSession(config, io, buildAdapters, { lock: !command.dryRun });
      try {
        const result = await session.runOnce(command);
        await reportCycle(result, command.output, command.planFile, io.stdout);
        return exitCodeOf(result);
      } finally {
        await session.close();
      }
    }
  }
}
