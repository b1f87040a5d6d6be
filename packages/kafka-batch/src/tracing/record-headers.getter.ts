import type { TextMapGetter } from '@opentelemetry/api';
import type { KafkaRecord } from '../interfaces/kafka-record.interface';

/** W3C trace context (`traceparent`, `tracestate`) read from a record's headers, as the producer wrote them. */
export const recordHeadersGetter: TextMapGetter<KafkaRecord> = {
  keys: (record) => Object.keys(record.headers),
  get: (record, key) => record.headers[key]?.toString('latin1'),
};
