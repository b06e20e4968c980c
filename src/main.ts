#!/usr/bin/env node
/**
 * The composition root: the only place concrete adapters are built, and the one top-level
 * catch that turns what is left of an error into a clear message and an exit code.
 */
import { readFileSync } from "node:fs";
import { graphCredentialSettings, runCli, EXIT, type Adapters, type ExitCode, type RequestObservers } from "./cli/index.js";
import type { AgentConfig } from "./config/index.js";
import type { Logger } from "./log/index.js";
import { ConfigError, FatalError, SyncError } from "./model/index.js";

/** Adapters load lazily: `--help`, `--version` and `validate` never pay for Azure's SDK. */
async function buildAdapters(config: AgentConfig, logger: Logger, observers: RequestObservers): Promise<Adapters> {
  const [{ createCredential, createIncrementalDirectoryReader }, { createScimClient }] = await Promise.all([import("./graph/index.js"), import("./scim/index.js")]);
  const graph = {
    endpoint: config.graph.endpoint,
    authorityHost: config.graph.authorityHost,
    fullReadIntervalHours: config.graph.fullReadIntervalHours,
    nestedGroups: config.graph.nestedGroups,
    membershipGroups: config.scoping.users.membershipGroups,
    requestTimeoutMs: config.graph.requestTimeoutSeconds * 1000,
    maxRetries: config.graph.maxRetries,
    ...(observers.graphResponse ? { onResponse: observers.graphResponse } : {}),
  };
  const credential = createCredential(graphCredentialSettings(config), { authorityHost: config.graph.authorityHost });
  const directory = createIncrementalDirectoryReader(graph, credential, logger.child({ component: "graph" }));
  const klaxoon = config.klaxoon;
  const scim = createScimClient(
    {
      tenantUrl: klaxoon.tenantUrl,
      token: klaxoon.secretToken.reveal(),
      concurrency: klaxoon.concurrency,
      requestsPerSecond: klaxoon.requestsPerSecond,
      timeoutMs: klaxoon.timeoutSeconds * 1000,
      patchDialect: klaxoon.patchDialect,
      extensionInSchemas: klaxoon.extensionInSchemas,
      memberChunkSize: klaxoon.memberChunkSize,
      ...(observers.scimResponse ? { onResponse: observers.scimResponse } : {}),
    },
    logger.child({ component: "scim" }),
  );
  return { directory, targetReader: scim, writer: scim, close: () => scim.close() };
}


/** package.json sits two levels up from dist/src/main.js and one from src/main.ts. */
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

await main();
