import type { MessageHeader } from '@confluentinc/kafka-javascript';
import { deadLetterStackTrace } from './dead-letter.stack-trace';
import { DeadLetter, DeadLetterPart, Origin, originOf, Provenance } from './dead-letter.types';

/** Headers a letter gets from its listener; a record's own of these are dropped, not passed on. */
const PROVENANCE_PREFIXES = ['kafka_dlt-', 'retry_topic-'];

/**
 * Header names follow Spring Kafka's DeadLetterPublishingRecoverer, plus the attempt count and,
 * on a letter published without parts of its record, what was left out and why.
 */
export const DLT_HEADERS = {
  originalTopic: 'kafka_dlt-original-topic',
  originalPartition: 'kafka_dlt-original-partition',
  originalOffset: 'kafka_dlt-original-offset',
  originalTimestamp: 'kafka_dlt-original-timestamp',
  originalConsumerGroup: 'kafka_dlt-original-consumer-group',
  exceptionClass: 'kafka_dlt-exception-fqcn',
  exceptionMessage: 'kafka_dlt-exception-message',
  exceptionStacktrace: 'kafka_dlt-exception-stacktrace',
  attempts: 'kafka_dlt-attempts',
  /** `value`, or `value,key,headers`. */
  dropped: 'kafka_dlt-dropped',
  /** Why the whole record could not be published, e.g. `Broker: Message size too large`. */
  droppedReason: 'kafka_dlt-dropped-reason',
  /** Length of the source record's value in bytes, -1 when it was null. */
  originalValueSize: 'kafka_dlt-original-value-size',
} as const;

/**
 * The source record's headers in their order, as (name, value) pairs, without any `kafka_dlt-*` or
 * `retry_topic-*`: provenance a record brings along (forged, or from an earlier dead-lettering or
 * retry topic) would sit before the real one, and a reader taking the first header would believe
 * it. Spring Kafka likewise strips previous exception headers by default.
 */
export function ownHeaders(headers: readonly MessageHeader[] | undefined): [string, string | Buffer][] {
  const own: [string, string | Buffer][] = [];
  for (const header of headers ?? []) {
    for (const [name, value] of Object.entries(header))
      if (!PROVENANCE_PREFIXES.some((prefix) => name.startsWith(prefix))) own.push([name, value]);
  }
  return own;
}

/** A header value that is a non-negative integer in decimal, as the library writes them; else undefined. */
export function headerInteger(values: ReadonlyMap<string, string>, name: string): number | undefined {
  const raw = values.get(name);
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** Each header name's first value, as text. */
export function firstHeaderValues(headers: readonly MessageHeader[] | undefined): Map<string, string> {
  const first = new Map<string, string>();
  for (const header of headers ?? [])
    for (const [name, value] of Object.entries(header))
      if (!first.has(name)) first.set(name, Buffer.isBuffer(value) ? value.toString('utf8') : String(value));
  return first;
}

export function provenanceHeaders(
  { raw, reason, attempts }: DeadLetter,
  { groupId, stackTrace }: Provenance,
  origin: Origin = originOf(raw),
): MessageHeader[] {
  return [
    { [DLT_HEADERS.originalTopic]: origin.topic },
    { [DLT_HEADERS.originalPartition]: String(origin.partition) },
    { [DLT_HEADERS.originalOffset]: String(origin.offset) },
    { [DLT_HEADERS.originalTimestamp]: String(origin.timestamp ?? '') },
    { [DLT_HEADERS.originalConsumerGroup]: groupId },
    { [DLT_HEADERS.exceptionClass]: reason.name || reason.constructor?.name || 'Error' },
    { [DLT_HEADERS.exceptionMessage]: reason.message },
    { [DLT_HEADERS.exceptionStacktrace]: deadLetterStackTrace(reason, stackTrace) },
    { [DLT_HEADERS.attempts]: String(attempts) },
  ];
}

export function droppedHeaders(
  { raw }: DeadLetter,
  dropped: readonly DeadLetterPart[],
  cause: Error,
): MessageHeader[] {
  return [
    { [DLT_HEADERS.dropped]: dropped.join(',') },
    { [DLT_HEADERS.droppedReason]: cause.message },
    { [DLT_HEADERS.originalValueSize]: String(raw.value?.length ?? -1) },
  ];
}
