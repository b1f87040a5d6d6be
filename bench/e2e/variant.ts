import type { ConsumerKind } from './consumer.process';
import type { Delivery } from './consumers/consumer.settings';

/** One consumer setup under test: which consumer, its batch settings and how many processes. */
export interface Variant {
  /** Short name for charts and logs. */
  key: string;
  /** What it is, for the report. */
  label: string;
  kind: ConsumerKind;
  batchSize: number;
  concurrency: number;
  processes: number;
  /** The library's listener only: its delivery mode (default the app's, exactly-once). */
  delivery?: Delivery;
}

export const naivePerMessage = (): Variant => ({
  key: 'naive save() per message',
  label:
    'naive: Nest Kafka transport (KafkaJS), `@EventPattern` per message, TypeORM `save()` per reading, auto-commit',
  kind: 'naive-per-message',
  batchSize: 1,
  concurrency: 1,
  processes: 1,
});

export const naiveOnKafkaBatchTransport = (): Variant => ({
  key: 'naive on KafkaBatchTransport',
  label:
    'the naive consumer with only its transport line changed: the same controller and options on `KafkaBatchTransport` (record listener, commit after the handler)',
  kind: 'naive-per-message-transport',
  batchSize: 1,
  concurrency: 1,
  processes: 1,
});

export const naiveBuffered = (flushSize: number, flushMs: number): Variant => ({
  key: 'naive buffered upsert',
  label: `naive + batching in user code: buffer in the handler, one TypeORM \`upsert()\` per ${flushSize} readings or ${flushMs} ms, auto-commit`,
  kind: 'naive-buffered',
  batchSize: flushSize,
  concurrency: 1,
  processes: 1,
});

export const bareLoop = (): Variant => ({
  key: 'bare librdkafka loop',
  label: 'client ceiling: bare librdkafka `consume(500)` loop, no processing',
  kind: 'bare-loop',
  batchSize: 500,
  concurrency: 1,
  processes: 1,
});

export const batchListener = (
  maxPollRecords: number,
  concurrency: number,
  processes = 1,
  delivery: Delivery = 'exactly-once',
): Variant => {
  const each = processes > 1 ? ` × ${processes} processes` : '';
  const mode = delivery === 'exactly-once' ? '' : ` ${delivery}`;
  return {
    key: `kafka-batch ${maxPollRecords}x${concurrency}${processes > 1 ? ` ${processes}p` : ''}${mode}`,
    label: `@org/kafka-batch, telemetry handler, maxPollRecords ${maxPollRecords}, concurrency ${concurrency}${each}, ${delivery}`,
    kind: 'batch-listener',
    batchSize: maxPollRecords,
    concurrency,
    processes,
    delivery,
  };
};
