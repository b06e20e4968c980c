import { pino, type Logger, type LoggerOptions } from "pino";

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
  /** Human-readable output; the CLI turns it on when stdout is a TTY. */
  readonly pretty: boolean;
  /** Where JSON lines go (defaults to stdout); tests pass a stream they can read. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { name: "entra-klaxoon-sync" },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  if (settings.pretty) {
    return pino({ ...options, transport: { target: "pino-pretty", options: { colorize: true, destination: 2 } } });
  }
  return settings.destination ? pino(options, settings.destination) : pino(options, pino.destination(2));
}
