// Aliased: the bundle (dist/agent.mjs) declares its own `createRequire` in its banner.
import { createRequire as requireFrom } from "node:module";
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/**
 * Paths that may hold secrets anywhere in a log object. Redaction is the last line of defence:
 * secrets are wrapped in `Secret` and never put in log objects on purpose.
 */
export const REDACTED_PATHS = [
  "token",
  "accessToken",
  "secretToken",
  "clientSecret",
  "certificatePassword",
  "password",
  "authorization",
  "Authorization",
  "headers.authorization",
  "headers.Authorization",
  "*.token",
  "*.accessToken",
  "*.secretToken",
  "*.clientSecret",
  "*.certificatePassword",
  "*.password",
  "*.authorization",
  "*.Authorization",
  "*.headers.authorization",
  "*.headers.Authorization",
  "req.headers.authorization",
];

export interface LoggerSettings {
  readonly level: string;
  /** Human-readable output, one line per record; the CLI turns it on when stderr is a terminal. */
  readonly pretty: boolean;
  /** Where lines go (defaults to stderr); tests pass a stream they can read. */
  readonly destination?: NodeJS.WritableStream;
  /** Pretty output in colour (default true: pretty output is for a terminal). */
  readonly colorize?: boolean;
}

/**
 * Fields a person at a terminal does not need on every line: the record's message already says
 * it (a provisioning record's kind, action and object), or it is the same on every line. JSON
 * logs keep all of them.
 */
const PRETTY_IGNORED = "pid,hostname,name,cycleId,provisioning";

/** Erases a live progress line (log/progress.ts) before a log line is written over it. */
const CLEAR_LINE = "\r\u001b[K";

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { name: "entra-klaxoon-sync" },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  if (settings.pretty)
    return pino(options, prettyStream(settings.destination ?? process.stderr, settings.colorize ?? true));
  return settings.destination ? pino(options, settings.destination) : pino(options, pino.destination(2));
}

/**
 * Pretty lines written in this thread, one line per record (pino-pretty's multi-line objects
 * made ~40 lines of each provisioning record). Loaded only for a terminal.
 */
function prettyStream(destination: NodeJS.WritableStream, colorize: boolean): DestinationStream {
  const { prettyFactory } = requireFrom(import.meta.url)("pino-pretty") as typeof import("pino-pretty");
  const prettify = prettyFactory({ colorize, singleLine: true, ignore: PRETTY_IGNORED, translateTime: "HH:MM:ss" });
  return {
    write: (line: string) => {
      destination.write(`${CLEAR_LINE}${prettify(line)}`);
    },
  };
}
