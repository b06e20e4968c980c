/**
 * The cycle's tracing port (cycle/tracing.ts) on OpenTelemetry: spans exported over OTLP/HTTP
 * (JSON) in batches. Loaded only when tracing is on (tracing.ts): without an OTLP endpoint no
 * SDK module runs. Nothing is registered globally: the current span is kept in our own
 * AsyncLocalStorage, so nested `withSpan` calls make child spans without a global context
 * manager, and no library's own instrumentation can attach to ours. There is no HTTP
 * instrumentation either: Graph and SCIM URLs carry user names and ids in their filters.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ROOT_CONTEXT, SpanStatusCode, trace, type Context } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace";
import type { TracingSettings } from "../config/index.js";
import type { Tracing } from "../cycle/index.js";
import type { Logger } from "../log/index.js";
import { SyncError } from "../model/index.js";
import { nodeAgentFor, type SystemTrustConnection } from "../net/index.js";

export interface TracingSession extends Tracing {
  /** Exports what is left and stops: the end of a command. */
  shutdown(): Promise<void>;
}

export function createOtelTracing(
  settings: TracingSettings,
  deps: {
    readonly logger: Logger;
    readonly version: string;
    readonly connection: SystemTrustConnection;
    readonly exporter?: SpanExporter;
  },
): TracingSession {
  const exporter = reportingFailures(
    deps.exporter ??
      new OTLPTraceExporter({
        url: settings.tracesUrl,
        // Through the outbound proxy, as every other endpoint (NO_PROXY names an in-cluster collector).
        httpAgentOptions: () => nodeAgentFor(deps.connection, settings.tracesUrl),
      }),
    deps.logger,
    settings.tracesUrl,
  );
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": settings.serviceName, "service.version": deps.version }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer("entra-klaxoon-sync", deps.version);
  const current = new AsyncLocalStorage<Context>();
  return {
    withSpan: (name, attributes, run) => {
      const parent = current.getStore() ?? ROOT_CONTEXT;
      const span = tracer.startSpan(name, { attributes }, parent);
      return current.run(trace.setSpan(parent, span), async () => {
        try {
          return await run({ setAttributes: (more) => span.setAttributes(more) });
        } catch (error) {
          // The code only: a message may name an object.
          const code = error instanceof SyncError ? error.code : "UNEXPECTED";
          span.setAttributes({ "error.type": code });
          span.setStatus({ code: SpanStatusCode.ERROR, message: code });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    shutdown: async () => {
      try {
        await provider.shutdown();
      } catch (error) {
        deps.logger.warn({ error: error instanceof Error ? error.name : "error" }, "tracing: could not flush spans");
      }
    },
  };
}

/** An export that fails is a warning, once per command (the SDK would otherwise stay silent); it never fails a cycle. */
function reportingFailures(exporter: SpanExporter, logger: Logger, url: string): SpanExporter {
  const endpoint = withoutSecrets(url);
  let warned = false;
  return {
    export: (spans, done) =>
      exporter.export(spans, (result) => {
        // ExportResultCode.SUCCESS is 0 (@opentelemetry/core, which we do not depend on for one constant).
        if (result.code !== 0 && !warned) {
          warned = true;
          const error = (result.error?.message ?? "export failed").replaceAll(url, endpoint).slice(0, 300);
          logger.warn({ endpoint, spans: spans.length, error }, "tracing: spans could not be exported");
        }
        done(result);
      }),
    shutdown: () => exporter.shutdown(),
    ...(exporter.forceFlush ? { forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve() } : {}),
  };
}

/** The endpoint as a log may show it: no user, password or query string. */
function withoutSecrets(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  parsed.search = "";
  return parsed.toString();
}
