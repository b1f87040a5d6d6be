import type { Attributes, Context, Link, Span, Tracer } from '@opentelemetry/api';
import type { ListenerInvoker } from '../batch/batch.runner';
import { describePartition, TopicPartition } from '../common/topic-partition';
import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { KafkaBatch, KafkaRecord } from '../interfaces/kafka-record.interface';
import { loadOpenTelemetry, OpenTelemetry, recordFailure, TRACER_NAME } from './opentelemetry.loader';
import { rememberFailure } from './failure.tracer';
import { recordHeadersGetter } from './record-headers.getter';

type TracedListener = Pick<ResolvedListenerOptions, 'id' | 'groupId' | 'listenerType' | 'tracing'>;

/** Not a semantic-convention attribute: how many creation contexts the link cap left out. */
export const LINKS_DROPPED_ATTRIBUTE = 'kafka_batch.links_dropped';

/**
 * Wraps a listener's invoker in one OpenTelemetry `process` span per invocation, as the messaging
 * semantic conventions describe it: a batch span links to the creation context of each record
 * (W3C `traceparent` in its headers, up to `tracing.maxLinks`), a record span is the child of its
 * record's creation context. The span is the active context while the handler runs, so the
 * handler's own spans (database queries, HTTP calls) are its children. Without
 * `@opentelemetry/api`, or with tracing off, the invoker is returned as it is.
 */
export function traceInvocations(
  invoke: ListenerInvoker,
  listener: TracedListener,
  api: OpenTelemetry | undefined = loadOpenTelemetry(),
): ListenerInvoker {
  if (!listener.tracing.enabled || !api) return invoke;
  const tracer = api.trace.getTracer(TRACER_NAME);
  return async (payload, ack, transaction) => {
    const span = startSpan(api, tracer, listener, payload as KafkaBatch & KafkaRecord);
    try {
      return await api.context.with(api.trace.setSpan(span.context, span.span), () =>
        invoke(payload, ack, transaction),
      );
    } catch (error) {
      recordFailure(api, span.span, error);
      rememberFailure(error, api.trace.setSpan(span.context, span.span));
      throw error;
    } finally {
      span.span.end();
    }
  };
}

function startSpan(
  api: OpenTelemetry,
  tracer: Tracer,
  listener: TracedListener,
  payload: KafkaBatch & KafkaRecord,
): { span: Span; context: Context } {
  const records: readonly KafkaRecord[] = listener.listenerType === 'record' ? [payload] : payload.records;
  const attributes = attributesOf(listener, payload);
  const topic = attributes['messaging.destination.name'];
  const name = topic === undefined ? 'process' : `process ${String(topic)}`;
  const kind = api.SpanKind.CONSUMER;
  if (listener.listenerType === 'record') {
    // One message: its creation context is the parent, so the trace goes on through the handler.
    const parent = creationContextOf(api, payload) ?? api.context.active();
    return { span: tracer.startSpan(name, { kind, attributes }, parent), context: parent };
  }
  const parent = api.context.active();
  const span = tracer.startSpan(name, { kind, attributes }, parent);
  // Reading every record's headers is the one per-record cost: only for a span that records.
  if (span.isRecording()) addLinks(api, span, records, listener.tracing.maxLinks);
  return { span, context: parent };
}

function attributesOf(listener: TracedListener, payload: KafkaBatch & KafkaRecord): Attributes {
  // A batch's partitions, not its records: the attributes cost no pass over the records.
  const partitions: readonly TopicPartition[] =
    listener.listenerType === 'record' ? [payload] : payload.partitions;
  const [first] = partitions;
  const attributes: Attributes = {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.consumer.group.name': listener.groupId,
    'kafka_batch.listener.id': listener.id,
  };
  if (partitions.every((p) => p.topic === first.topic)) {
    attributes['messaging.destination.name'] = first.topic;
    if (partitions.length === 1) attributes['messaging.destination.partition.id'] = String(first.partition);
  }
  if (listener.listenerType === 'record') attributes['messaging.kafka.offset'] = payload.offset;
  else {
    attributes['messaging.batch.message_count'] = payload.size;
    // Not a convention attribute: each partition's offsets in the batch, `topic[partition]@first-last`.
    attributes['kafka_batch.offsets'] = payload.partitions.map(
      (p) => `${describePartition(p)}@${p.firstOffset}-${p.lastOffset}`,
    );
  }
  return attributes;
}

/** Links to the creation context of each record that carries one, up to `max`; the count left out is an attribute. */
function addLinks(api: OpenTelemetry, span: Span, records: readonly KafkaRecord[], max: number): void {
  const links: Link[] = [];
  let dropped = 0;
  for (const record of records) {
    if (record.headers.traceparent === undefined) continue;
    // Past the cap a record is only counted: its header is not parsed.
    if (links.length >= max) dropped++;
    else {
      const context = creationContextOf(api, record);
      if (context) links.push({ context: api.trace.getSpanContext(context)! });
    }
  }
  if (links.length > 0) span.addLinks(links);
  if (dropped > 0) span.setAttribute(LINKS_DROPPED_ATTRIBUTE, dropped);
}

/** The producer's context from the record's headers; undefined when it has none (most records untraced). */
function creationContextOf(api: OpenTelemetry, record: KafkaRecord): Context | undefined {
  if (record.headers.traceparent === undefined) return undefined;
  const context = api.propagation.extract(api.ROOT_CONTEXT, record, recordHeadersGetter);
  return api.trace.getSpanContext(context) ? context : undefined;
}
