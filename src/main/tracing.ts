import { tracingSettingsFrom } from "../config/index.js";
import { noTracing } from "../cycle/index.js";
import type { Logger } from "../log/index.js";
import type { SystemTrustConnection } from "../net/index.js";
import type { TracingSession } from "./otel-tracing.js";

const off: TracingSession = { ...noTracing, shutdown: async () => undefined };

/**
 * Tracing for one command: OpenTelemetry when an OTLP endpoint is set in the environment
 * (config/tracing-env.ts), else the no-op port, for which no OpenTelemetry module is loaded.
 */
export async function tracingFor(
  env: NodeJS.ProcessEnv,
  connection: SystemTrustConnection,
  parts: { readonly logger: Logger; readonly version: string },
): Promise<TracingSession> {
  const { logger, version } = parts;
  const settings = tracingSettingsFrom(env);
  if (settings === null) return off;
  const { createOtelTracing } = await import("./otel-tracing.js");
  logger.debug({ serviceName: settings.serviceName }, "tracing on: spans exported over OTLP");
  return createOtelTracing(settings, { logger: logger.child({ component: "tracing" }), version, connection });
}
