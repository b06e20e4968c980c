import { ConfigError } from "../model/index.js";

/** Where spans go, from the standard OpenTelemetry environment variables, or null: tracing off. */
export interface TracingSettings {
  /** The OTLP/HTTP traces URL (`…/v1/traces`). */
  readonly tracesUrl: string;
  readonly serviceName: string;
}

export const DEFAULT_SERVICE_NAME = "entra-klaxoon-sync";

/**
 * Tracing is on when `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as it is) or
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (the base: `/v1/traces` is added) is set, unless
 * `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. `OTEL_SERVICE_NAME` names the service.
 * Other OTLP variables (`OTEL_EXPORTER_OTLP_HEADERS`, `…_TIMEOUT`) are read by the exporter itself.
 */
export function tracingSettingsFrom(env: NodeJS.ProcessEnv): TracingSettings | null {
  if (env["OTEL_SDK_DISABLED"]?.trim().toLowerCase() === "true") return null;
  if (env["OTEL_TRACES_EXPORTER"]?.trim().toLowerCase() === "none") return null;
  const traces = env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]?.trim();
  const base = env["OTEL_EXPORTER_OTLP_ENDPOINT"]?.trim();
  const [name, url] = traces
    ? ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces]
    : base
      ? ["OTEL_EXPORTER_OTLP_ENDPOINT", `${base.replace(/\/+$/, "")}/v1/traces`]
      : [null, null];
  if (name === null || url === null) return null;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `environment variable ${name}: not an http:// or https:// URL (OTLP over HTTP, e.g. http://otel-collector:4318)`,
    );
  }
  return { tracesUrl: url, serviceName: env["OTEL_SERVICE_NAME"]?.trim() || DEFAULT_SERVICE_NAME };
}
