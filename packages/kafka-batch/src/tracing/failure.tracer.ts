import type { Context } from '@opentelemetry/api';
import type { TopicPartitionOffset } from '../common/topic-partition';
import type { FailureDecision } from '../failure/retrying.error-handler';
import { loadOpenTelemetry, TRACER_NAME } from './opentelemetry.loader';

/** The context of the invocation span each error failed, while the error lives. */
const failureContexts = new WeakMap<object, Context>();

/** Remembers the span an error failed, so what is decided about it becomes that span's child. */
export function rememberFailure(error: unknown, context: Context): void {
  if (typeof error === 'object' && error !== null) failureContexts.set(error, context);
}

/** The context of the invocation span `error` failed; undefined when no traced invocation threw it. */
export function failureContextOf(error: unknown): Context | undefined {
  return typeof error === 'object' && error !== null ? failureContexts.get(error) : undefined;
}

const NOT_TRACED = { end: () => undefined };

/**
 * A span for what the retry policy decided about a failed invocation, the child of that
 * invocation's span: `retry` lasts the backoff (ended by the caller after the wait), `bisect` and
 * `redeliver later` mark the moment. A dead letter has its own span (the publish).
 */
export function traceDecision(
  error: unknown,
  decision: FailureDecision,
  failing: readonly TopicPartitionOffset[],
): { end(): void } {
  const parent = failureContextOf(error);
  const api = parent && loadOpenTelemetry();
  if (!api || !parent || decision.action === 'dead-letter') return NOT_TRACED;
  const name = decision.action === 'redeliver-later' ? 'redeliver later' : decision.action;
  const span = api.trace.getTracer(TRACER_NAME).startSpan(
    name,
    {
      attributes: {
        'kafka_batch.decision': decision.action,
        'kafka_batch.records': failing.length,
        ...(decision.action === 'retry' ? { 'kafka_batch.backoff_ms': decision.delayMs } : {}),
      },
    },
    parent,
  );
  if (decision.action !== 'retry') span.end();
  return decision.action === 'retry' ? span : NOT_TRACED;
}
