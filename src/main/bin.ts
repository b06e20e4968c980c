#!/usr/bin/env node
/** The executable: the process's streams, environment and clock handed to the one entry. */
import { readFileSync } from "node:fs";
import { systemClock } from "../model/index.js";
import { limitHeapGrowth } from "./heap-growth.js";
import { runAgent } from "./run-agent.js";

/** package.json sits two levels up from src/main/bin.ts, one from the bundle (dist/agent.mjs), three from dist/src/main/bin.js. */
function readVersion(): string {
  for (const relative of ["../package.json", "../../package.json", "../../../package.json"]) {
    try {
      const data: unknown = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8"));
      if (
        typeof data === "object" &&
        data !== null &&
        "name" in data &&
        data.name === "entra-klaxoon-sync" &&
        "version" in data
      )
        return String(data.version);
    } catch {
      // not this level
    }
  }
  return "unknown";
}

limitHeapGrowth();
process.exitCode = await runAgent(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  terminal: process.stderr.isTTY === true ? process.stderr : null,
  env: process.env,
  version: readVersion(),
  clock: systemClock,
});
