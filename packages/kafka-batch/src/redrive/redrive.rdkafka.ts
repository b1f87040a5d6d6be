import { KafkaConsumer, Producer, TopicPartitionOffset } from '@confluentinc/kafka-javascript';
import { fromCallback } from '../client/rdkafka.types';
import type { RawRecord } from '../interfaces/raw-record.interface';
import type { NextOffsets, PartitionSpan, RedriveSink, RedriveSource } from './redrive.clients';
import type { RedriveOptions } from './redrive.options';
import type { RedriveSend } from './redrive.selection';

const TIMEOUT_MS = 30_000;
const CONSUME_WAIT_MS = 200;
/** librdkafka's "no committed offset" sentinel (RD_KAFKA_OFFSET_INVALID). */
const NO_OFFSET = -1001;

/** The dead-letter topic through a consumer that reads committed records only and never commits by itself. */
export class RdKafkaRedriveSource implements RedriveSource {
  private constructor(private readonly consumer: KafkaConsumer) {}

  static async connect(options: RedriveOptions): Promise<RdKafkaRedriveSource> {
    const consumer = new KafkaConsumer(
      {
        ...options.rdkafka,
        'bootstrap.servers': options.brokers,
        'client.id': 'kafka-batch-redrive',
        'group.id': options.group,
        'enable.auto.commit': false,
        'isolation.level': 'read_committed',
      },
      {},
    );
    await fromCallback((done) => consumer.connect({ timeout: TIMEOUT_MS }, done));
    consumer.setDefaultConsumeTimeout(CONSUME_WAIT_MS);
    return new RdKafkaRedriveSource(consumer);
  }

  get client(): KafkaConsumer {
    return this.consumer;
  }

  async partitionCount(topic: string): Promise<number | undefined> {
    const metadata = await fromCallback<{ topics: { name: string; partitions: unknown[] }[] }>((done) =>
      this.consumer.getMetadata({ topic, timeout: TIMEOUT_MS }, done),
    ).catch(() => undefined);
    const found = metadata?.topics.find((t) => t.name === topic);
    return found && found.partitions.length > 0 ? found.partitions.length : undefined;
  }

  async spans(topic: string): Promise<PartitionSpan[]> {
    const count = await this.partitionCount(topic);
    if (count === undefined) throw new Error(`the dead-letter topic ${topic} does not exist`);
    const partitions = Array.from({ length: count }, (_, partition) => ({ topic, partition }));
    const committed = await fromCallback<TopicPartitionOffset[]>((done) =>
      this.consumer.committed(partitions, TIMEOUT_MS, done),
    );
    return Promise.all(
      partitions.map(async ({ partition }) => {
        const { lowOffset, highOffset } = await fromCallback<{ lowOffset: number; highOffset: number }>(
          (done) => this.consumer.queryWatermarkOffsets(topic, partition, TIMEOUT_MS, done),
        );
        const stored = committed.find((c) => c.partition === partition)?.offset ?? NO_OFFSET;
        // Letters deleted by retention since the last run are gone: start at the log start.
        return {
          partition,
          start: Math.max(stored === NO_OFFSET ? lowOffset : stored, lowOffset),
          end: highOffset,
        };
      }),
    );
  }

  assign(topic: string, spans: readonly PartitionSpan[]): void {
    this.consumer.assign(spans.map(({ partition, start }) => ({ topic, partition, offset: start })));
  }

  consume(max: number): Promise<RawRecord[]> {
    return fromCallback((done) => this.consumer.consume(max, done));
  }

  positions(topic: string): Map<number, number> {
    const positions = new Map<number, number>();
    for (const { topic: t, partition, offset } of this.consumer.position())
      if (t === topic && offset >= 0) positions.set(partition, offset);
    return positions;
  }

  async close(): Promise<void> {
    await fromCallback((done) => this.consumer.disconnect(done)).catch(() => undefined);
  }
}

/**
 * A transactional producer: its transactional id is the group's, so that a run started again fences
 * one that died and aborts its open transaction, and the group's offsets commit with what was sent.
 */
export class RdKafkaRedriveSink implements RedriveSink {
  private constructor(
    private readonly producer: Producer,
    private readonly source: RdKafkaRedriveSource,
  ) {}

  static async connect(options: RedriveOptions, source: RdKafkaRedriveSource): Promise<RdKafkaRedriveSink> {
    const producer = new Producer({
      ...options.rdkafka,
      'bootstrap.servers': options.brokers,
      'client.id': 'kafka-batch-redrive',
      'transactional.id': options.group,
      'enable.idempotence': true,
      // A transaction holds transactionSize records before its commit flushes them.
      'queue.buffering.max.messages': Math.max(100_000, options.transactionSize * 2),
    });
    await fromCallback((done) => producer.connect({}, done));
    producer.setPollInterval(100);
    await fromCallback((done) => producer.initTransactions(TIMEOUT_MS, done));
    return new RdKafkaRedriveSink(producer, source);
  }

  async begin(): Promise<void> {
    await fromCallback((done) => this.producer.beginTransaction(done));
  }

  send({ topic, partition, key, value, headers }: RedriveSend): void {
    this.producer.produce(topic, partition ?? null, value, key, undefined, undefined, headers);
  }

  async commit(topic: string, next: NextOffsets): Promise<void> {
    const offsets = [...next].map(([partition, offset]) => ({ topic, partition, offset }));
    await fromCallback((done) =>
      this.producer.sendOffsetsToTransaction(offsets, this.source.client, TIMEOUT_MS, done),
    );
    await fromCallback((done) => this.producer.commitTransaction(TIMEOUT_MS, done));
  }

  async abort(): Promise<void> {
    await fromCallback((done) => this.producer.abortTransaction(TIMEOUT_MS, done));
  }

  async close(): Promise<void> {
    // A poll on the timer racing the native teardown would abort the process.
    this.producer.setPollInterval(0);
    await fromCallback((done) => this.producer.disconnect(done)).catch(() => undefined);
  }
}
