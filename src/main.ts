#!/usr/bin/env node
/**
 * The composition root: builds the concrete adapters (compose-adapters.ts), and holds the one top-level
 * catch that turns what is left of an error into a clear message and an exit code.
 */
import { readFileSync } from "node:fs";
import { runCli, EXIT, type ExitCode } from "./cli/index.js";
import { buildAdapters } from "./compose-adapters.js";
import { limitHeapGrowth } from "./heap-growth.js";
import { ConfigError, FatalError, SyncError } from "./model/index.js";

/** package.json sits one level up from src/main.ts and the bundle (dist/agent.mjs), two from dist/src/main.js. */
function readVersion(): string {
  for (const relative of ["../package.json", "../../package.json"]) {
    try {
      const data: unknown = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8"));
      if (typeof data === "object" && data !== null && "name" in data && data.name === "entra-klaxoon-sync" && "version" in data) return String(data.version);
    } catch {
      // not this level
    }
  }
  return "unknown";
}

function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof ConfigError) return EXIT.config;
  if (error instanceof FatalError || error instanceof SyncError) return EXIT.fatal;
  return EXIT.unexpected;
}

function describeError(error: unknown): string {
  if (error instanceof SyncError) return `error [${error.code}]: ${error.message}`;
  // Not one of ours: a bug. Say so, with the stack, which is what a bug report needs.
  return `unexpected error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

async function main(): Promise<void> {
  let code: ExitCode;
  try {
    code = await runCli(
      process.argv.slice(2),
      {
        stdout: process.stdout,
        env: process.env,
        prettyLogs: process.stderr.isTTY === true,
        progressTerminal: process.stderr.isTTY === true ? process.stderr : null,
        version: readVersion(),
      },
      buildAdapters,
    );
  } catch (error) {
    process.stderr.write(`entra-klaxoon-sync: ${describeError(error)}\n`);
    code = exitCodeFor(error);
  }
  process.exitCode = code;
}

limitHeapGrowth();
await main();
