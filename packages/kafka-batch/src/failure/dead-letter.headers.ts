import type { MessageHeader } from '@confluentinc/kafka-javascript';
import { deadLetterStackTrace } from './dead-letter.stack-trace';
import type { DeadLetter, DeadLetterPart, Provenance } from './dead-letter.types';

const DLT_HEADER_PREFIX = 'kafka_dlt-';

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
 * The source record's headers in their order, as (name, value) pairs, without any `kafka_dlt-*`:
 * provenance a record brings along (forged, or from an earlier dead-lettering) would sit before
 * the real one, and a reader taking the first header would believe it. Spring Kafka likewise
 * strips previous exception headers by default.
 */
export function ownHeaders(headers: readonly MessageHeader[] | undefined): [string, string | Buffer][] {
  const own: [string, string | Buffer][] = [];
  for (const header of headers ?? []) {
    for (const [name, value] of Object.entries(header))
      if (!name.startsWith(DLT_HEADER_PREFIX)) own.push([name, value]);
  }
  return own;
}

export function provenanceHeaders(
  { raw, reason, attempts }: DeadLetter,
  { groupId, stackTrace }: Provenance,
): MessageHeader[] {
  return [
    { [DLT_HEADERS.originalTopic]: raw.topic },
    { [DLT_HEADERS.originalPartition]: String(raw.partition) },
    { [DLT_HEADERS.originalOffset]: String(raw.offset) },
    { [DLT_HEADERS.originalTimestamp]: String(raw.timestamp ?? '') },
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
