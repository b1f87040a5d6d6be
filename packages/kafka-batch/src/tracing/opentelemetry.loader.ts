import type * as OpenTelemetryApi from '@opentelemetry/api';

export type OpenTelemetry = typeof OpenTelemetryApi;

/** The instrumentation scope of every span the library makes. */
export const TRACER_NAME = '@org/kafka-batch';

let loaded: OpenTelemetry | null | undefined;

/**
 * `@opentelemetry/api` when the application has it, else undefined: an optional peer, loaded by
 * the first listener that traces, never by the package's entry point.
 */
export function loadOpenTelemetry(): OpenTelemetry | undefined {
  if (loaded === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional peer, loaded on first use
      loaded = require('@opentelemetry/api') as OpenTelemetry;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/** Ends a span as failed by `error`: the exception event, `error.type` and the status. */
export function recordFailure(api: OpenTelemetry, span: OpenTelemetryApi.Span, error: unknown): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  span.recordException(failure);
  span.setAttribute('error.type', failure.name);
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: failure.message });
}
