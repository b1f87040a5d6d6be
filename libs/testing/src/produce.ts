import { MessageHeader, Producer } from '@confluentinc/kafka-javascript';
import { fromCallback } from '@org/kafka-offsets';
import { kafkaBootstrap } from './env';

export interface TestRecord {
  key?: string | null;
  value: Buffer | string | object | null;
  headers?: Record<string, string>;
  partition?: number;
  timestamp?: number;
}

function encode(value: TestRecord['value']): Buffer | null {
  if (value === null || Buffer.isBuffer(value)) return value;
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * Produces the records (idempotent, acks=all) and resolves when the broker has acknowledged
 * every one of them; rejects on the first delivery error.
 */
export async function produceRecords(
  topic: string,
  records: TestRecord[],
  bootstrap = kafkaBootstrap(),
): Promise<void> {
  const producer = new Producer({
    'bootstrap.servers': bootstrap,
    'client.id': 'test-harness-producer',
    'enable.idempotence': true,
    'linger.ms': 5,
    'queue.buffering.max.messages': 1_000_000,
    dr_cb: true,
  });
  await fromCallback((done) => producer.connect({}, done));
  producer.setPollInterval(10);
  let pending = records.length;
  try {
    await new Promise<void>((resolve, reject) => {
      if (pending === 0) return resolve();
      producer.on('delivery-report', (err) => {
        if (err) return reject(err);
        if (--pending === 0) resolve();
      });
      for (const record of records) {
        const headers: MessageHeader[] | undefined = record.headers
          ? Object.entries(record.headers).map(([k, v]) => ({ [k]: v }))
          : undefined;
        producer.produce(
          topic,
          record.partition ?? null,
          encode(record.value),
          record.key ?? null,
          record.timestamp ?? null,
          undefined,
          headers,
        );
      }
    });
  } finally {
    await disconnectPolledProducer(producer);
  }
}

/** Disconnects a producer polled on a timer: a poll racing the native teardown aborts the process. */
export async function disconnectPolledProducer(producer: Producer): Promise<void> {
  producer.setPollInterval(0);
  await fromCallback((done) => producer.disconnect(done));
}
