import { KafkaConsumer, Message } from '@confluentinc/kafka-javascript';
import { fromCallback } from '@org/kafka-offsets';
import { kafkaBootstrap } from './env';

export interface ReadRecord {
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads a topic from the beginning without a consumer group until `expected` records arrived
 * (or the timeout passed) and returns what it read. With `drain`, it goes on reading until the
 * topic has nothing more, so duplicates beyond `expected` are seen too.
 */
export async function readTopic(
  topic: string,
  partitions: number,
  expected: number,
  { timeoutMs = 20_000, bootstrap = kafkaBootstrap(), drain = false } = {},
): Promise<ReadRecord[]> {
  const consumer = new KafkaConsumer(
    { 'bootstrap.servers': bootstrap, 'group.id': 'test-harness-reader', 'enable.auto.commit': false },
    {},
  );
  await fromCallback((done) => consumer.connect({}, done));
  consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition, offset: 0 })));
  const records: ReadRecord[] = [];
  try {
    const deadline = Date.now() + timeoutMs;
    let more = true;
    while ((records.length < expected || (drain && more)) && Date.now() < deadline) {
      const batch = await fromCallback<Message[]>((done) => consumer.consume(1000, done));
      more = batch.length > 0;
      for (const m of batch) {
        const headers: Record<string, string> = {};
        for (const header of m.headers ?? [])
          for (const [k, v] of Object.entries(header)) headers[k] = v.toString();
        records.push({
          partition: m.partition,
          offset: m.offset,
          key: m.key?.toString() ?? null,
          value: m.value,
          headers,
        });
      }
    }
  } finally {
    await fromCallback((done) => consumer.disconnect(done));
  }
  return records;
}
