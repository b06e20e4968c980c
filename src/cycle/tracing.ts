/**
 * The cycle's tracing port: a span around a piece of work, nested in the span around it. The
 * composition root implements it with OpenTelemetry when `OTEL_EXPORTER_OTLP_ENDPOINT` is set;
 * otherwise the cycle runs with `noTracing`, which only calls the function. Attributes are
 * counts, modes and codes: never a payload, an object's name or id, a URL or a secret.
 */
export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

export interface SpanHandle {
  /** Adds attributes known only once the work is done (counts of results, an outcome). */
  setAttributes(attributes: SpanAttributes): void;
}

export interface Tracing {
  /** Runs `run` inside a span named `name`; a throw ends the span as an error (its code only) and is rethrown. */
  withSpan<T>(name: string, attributes: SpanAttributes, run: (span: SpanHandle) => Promise<T>): Promise<T>;
}

const noSpan: SpanHandle = { setAttributes: () => undefined };

export const noTracing: Tracing = { withSpan: (_name, _attributes, run) => run(noSpan) };
