import type { TextMapGetter } from '@opentelemetry/api';
import type { KafkaRecord } from '../interfaces/kafka-record.interface';
import type { RawRecord } from '../interfaces/raw-record.interface';

/** W3C trace context (`traceparent`, `tracestate`) read from a record's headers, as the producer wrote them. */
export const recordHeadersGetter: TextMapGetter<KafkaRecord> = {
  keys: (record) => Object.keys(record.headers),
  get: (record, key) => record.headers[key]?.toString('latin1'),
};

/** The same, from headers as librdkafka hands them over (a list of one-name objects). */
export const rawHeadersGetter: TextMapGetter<RawRecord> = {
  keys: (raw) => (raw.headers ?? []).flatMap((header) => Object.keys(header)),
  get: (raw, key) => {
    let value: string | Buffer | undefined;
    for (const header of raw.headers ?? []) if (key in header) value = header[key];
    return value === undefined ? undefined : Buffer.from(value).toString('latin1');
  },
};
