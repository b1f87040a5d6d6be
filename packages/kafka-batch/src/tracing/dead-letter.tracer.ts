import { describeRecords } from '../common/topic-partition';
import type { DeadLetter, DeadLetterResult } from '../failure/dead-letter.types';
import { failureContextOf } from './failure.tracer';
import { loadOpenTelemetry, recordFailure, TRACER_NAME } from './opentelemetry.loader';
import { rawHeadersGetter } from './record-headers.getter';

/**
 * Publishes a dead letter inside a producer span (`send <dead-letter topic>`), the child of the
 * invocation span that failed, linked to the record's creation context, and whose own context
 * replaces the record's in the dead letter's headers: the dead letter leads back to the failure
 * and to its origin. Without `@opentelemetry/api`, the letter is published as it is.
 */
export async function traceDeadLetter(
  letter: DeadLetter,
  topic: string,
  publish: (letter: DeadLetter) => Promise<DeadLetterResult>,
): Promise<DeadLetterResult> {
  const api = loadOpenTelemetry();
  if (!api) return publish(letter);
  const parent = failureContextOf(letter.reason) ?? api.context.active();
  const creation = api.trace.getSpanContext(
    api.propagation.extract(api.ROOT_CONTEXT, letter.raw, rawHeadersGetter),
  );
  const span = api.trace.getTracer(TRACER_NAME).startSpan(
    `send ${topic}`,
    {
      kind: api.SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.destination.name': topic,
        'kafka_batch.dead_letter.source': describeRecords([letter.raw]),
      },
      links: creation ? [{ context: creation }] : [],
    },
    parent,
  );
  const carrier: Record<string, string> = {};
  api.propagation.inject(api.trace.setSpan(parent, span), carrier);
  const headers = [
    ...(letter.raw.headers ?? []).filter((header) => !Object.keys(header).some((name) => name in carrier)),
    ...Object.entries(carrier).map(([name, value]) => ({ [name]: Buffer.from(value) })),
  ];
  try {
    const result = await publish({ ...letter, raw: { ...letter.raw, headers } });
    if (result.status === 'failed') recordFailure(api, span, result.error);
    return result;
  } finally {
    span.end();
  }
}
