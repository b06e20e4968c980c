import { readFile } from "node:fs/promises";
import { loadConfig } from "../config/index.js";
import { ConfigError } from "../model/index.js";
import { parsePlan } from "../plan/index.js";
import type { Composition } from "./composition.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { commandHelp, globalHelp } from "./help-text.js";
import { parseCommand } from "./parse-args.js";
import { exitCodeOf, reportCycle } from "./report-cycle.js";
import { renderExplanation } from "./render-explanation.js";
import { resetProvisioning } from "./reset-command.js";
import { renderConnectionReport, testConnection } from "./test-connection.js";

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
}

/** Runs one command. User mistakes and fatal conditions are thrown for the entry point to map. */
export async function runCli(argv: readonly string[], io: CliIo, composition: Composition): Promise<ExitCode> {
  const command = parseCommand(argv, io.env);
  switch (command.name) {
    case "help":
      io.stdout.write(`${command.topic === undefined ? globalHelp() : commandHelp(command.topic)}\n`);
      return EXIT.success;
    case "version":
      io.stdout.write(`${io.version}\n`);
      return EXIT.success;
    case "validate": {
      const config = await loadConfig(command.config, io.env, { secrets: command.secrets });
      const { users, groups } = config.mappings;
      const unchecked = command.secrets ? "" : "; secrets not resolved (--no-secrets)";
      io.stdout.write(
        `${config.file}: valid (${users.mappings.length} user mappings, ${groups.mappings.length} group mappings${unchecked})\n`,
      );
      return EXIT.success;
    }
    case "run":
      return composition.runDaemon(await loadConfig(command.config, io.env));
    case "test-connection": {
      const config = await loadConfig(command.config, io.env);
      const report = await testConnection(config, await composition.connectionProbes(config));
      io.stdout.write(renderConnectionReport(report));
      return report.ok ? EXIT.success : EXIT.fatal;
    }
    case "reset": {
      const config = await loadConfig(command.config, io.env);
      io.stdout.write(`${await resetProvisioning(composition.stateStore(config), command)}\n`);
      return EXIT.success;
    }
    case "apply": {
      const config = await loadConfig(command.config, io.env);
      const plan = parsePlan(await readPlanFile(command.planFile), command.planFile);
      const reviewed = { plan, source: command.planFile, maxAgeMinutes: config.reviewedPlans.maxAgeMinutes };
      const session = await composition.openSession(config, { lock: true });
      try {
        const result = await session.runOnce({
          dryRun: false,
          allowDeactivations: command.allowDeactivations,
          reviewed,
        });
        await reportCycle(result, command.output, undefined, io.stdout);
        return exitCodeOf(result);
      } finally {
        await session.close();
      }
    }
    case "explain": {
      const config = await loadConfig(command.config, io.env);
      const session = await composition.openSession(config, { lock: false });
      try {
        const result = await session.runOnce({
          dryRun: true,
          allowDeactivations: false,
          onDemand: { ...command.onDemand, explain: true },
        });
        const explanation = result.explanation;
        if (explanation === undefined) throw new Error("the on-demand dry run returned no explanation");
        io.stdout.write(
          command.output === "json" ? `${JSON.stringify(explanation, null, 2)}\n` : renderExplanation(explanation),
        );
        return explanation.object === null ? EXIT.onDemandNotProvisioned : EXIT.success;
      } finally {
        await session.close();
      }
    }
    case "sync": {
      const config = await loadConfig(command.config, io.env);
      const session = await composition.openSession(config, { lock: !command.dryRun });
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

async function readPlanFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : "unreadable";
    throw new ConfigError("PLAN_FILE", `${path}: cannot read the plan file (${reason})`);
  }
}
