import {
  AdminClient,
  CODES,
  IAdminClient,
  KafkaConsumer,
  OffsetSpec,
  TopicPartitionOffset,
} from '@confluentinc/kafka-javascript';
import { fromCallback } from './callback';
import { kafkaBootstrap } from './env';

export type PartitionOffsets = Map<number, number>;

/** What a fresh broker answers while it creates __consumer_offsets and elects the coordinator. */
const COORDINATOR_STARTING: ReadonlySet<number> = new Set([
  CODES.ERRORS.ERR_COORDINATOR_LOAD_IN_PROGRESS,
  CODES.ERRORS.ERR_COORDINATOR_NOT_AVAILABLE,
  CODES.ERRORS.ERR_NOT_COORDINATOR,
]);
const COORDINATOR_WAIT_MS = 30_000;

/**
 * Reads the broker's own view of topics, groups and offsets: tests assert against this, never
 * against what the code under test believes it did.
 */
export class KafkaAdmin {
  private readonly client: IAdminClient;
  /**
   * Committed offsets are read by a consumer that never joins the group, not by the admin API:
   * librdkafka's ListConsumerGroupOffsets crashes the process (SIGSEGV in rd_kafka_cgrp_op) when the
   * broker answers NOT_COORDINATOR, as a fresh broker does while it creates __consumer_offsets.
   */
  private readonly offsetReaders = new Map<string, Promise<KafkaConsumer>>();

  constructor(private readonly bootstrap = kafkaBootstrap()) {
    this.client = AdminClient.create({ 'bootstrap.servers': bootstrap, 'client.id': 'test-harness-admin' });
  }

  async createTopic(topic: string, partitions: number, config: Record<string, string> = {}): Promise<void> {
    await fromCallback((done) =>
      this.client.createTopic(
        { topic, num_partitions: partitions, replication_factor: 1, config },
        30_000,
        done,
      ),
    );
    await this.waitForPartitions(topic, partitions);
  }

  async deleteTopic(topic: string): Promise<void> {
    await fromCallback((done) => this.client.deleteTopic(topic, 30_000, done));
  }

  async listTopics(): Promise<string[]> {
    return fromCallback<string[]>((done) => this.client.listTopics({ timeout: 10_000 }, done));
  }

  async partitionCount(topic: string): Promise<number> {
    const [description] = await fromCallback<{ error?: { message: string }; partitions: unknown[] }[]>(
      (done) => this.client.describeTopics([topic], { timeout: 10_000 }, done),
    );
    if (description.error) throw new Error(`cannot describe topic ${topic}: ${description.error.message}`);
    return description.partitions.length;
  }

  /** Next offset to be written per partition (the high watermark). */
  async endOffsets(topic: string): Promise<PartitionOffsets> {
    const partitions = await this.partitionCount(topic);
    const results = await fromCallback<{ partition: number; offset: number }[]>((done) =>
      this.client.listOffsets(
        Array.from({ length: partitions }, (_, partition) => ({
          topic,
          partition,
          offset: OffsetSpec.LATEST,
        })),
        { timeout: 10_000 },
        done,
      ),
    );
    return new Map(results.map((r) => [r.partition, Number(r.offset)]));
  }

  /** The group's committed offset per partition of the topic; partitions never committed are absent. */
  async committedOffsets(groupId: string, topic: string): Promise<PartitionOffsets> {
    const partitions = await this.partitionCount(topic);
    const reader = await this.offsetReader(groupId);
    const deadline = Date.now() + COORDINATOR_WAIT_MS;
    for (;;) {
      try {
        const offsets = await fromCallback<TopicPartitionOffset[]>((done) =>
          reader.committed(
            Array.from({ length: partitions }, (_, partition) => ({ topic, partition })),
            10_000,
            done,
          ),
        );
        return new Map(
          offsets.filter((o) => Number(o.offset) >= 0).map((o) => [o.partition, Number(o.offset)]),
        );
      } catch (err) {
        if (!COORDINATOR_STARTING.has((err as { code?: number }).code ?? 0) || Date.now() > deadline)
          throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** Records not yet committed by the group, per partition and in total. */
  async lag(groupId: string, topic: string): Promise<{ total: number; byPartition: PartitionOffsets }> {
    const [end, committed] = await Promise.all([
      this.endOffsets(topic),
      this.committedOffsets(groupId, topic),
    ]);
    const byPartition = new Map(
      [...end].map(([partition, endOffset]) => [partition, endOffset - (committed.get(partition) ?? 0)]),
    );
    return { total: [...byPartition.values()].reduce((a, b) => a + b, 0), byPartition };
  }

  /** Moves the partition's log start to `offset`, as retention would. */
  async deleteRecordsBefore(topic: string, partition: number, offset: number): Promise<void> {
    const [result] = await fromCallback<{ error?: Error }[]>((done) =>
      this.client.deleteRecords([{ topic, partition, offset }], { timeout: 10_000 }, done),
    );
    if (result.error) throw result.error;
  }

  close(): void {
    this.client.disconnect();
    for (const reader of this.offsetReaders.values())
      void reader.then((consumer) => consumer.disconnect()).catch(() => undefined);
    this.offsetReaders.clear();
  }

  private offsetReader(groupId: string): Promise<KafkaConsumer> {
    let reader = this.offsetReaders.get(groupId);
    if (!reader) {
      const consumer = new KafkaConsumer(
        {
          'bootstrap.servers': this.bootstrap,
          'client.id': 'test-harness-offset-reader',
          'group.id': groupId,
          'enable.auto.commit': false,
        },
        {},
      );
      reader = fromCallback((done) => consumer.connect({ timeout: 30_000 }, done)).then(() => consumer);
      reader.catch(() => this.offsetReaders.delete(groupId));
      this.offsetReaders.set(groupId, reader);
    }
    return reader;
  }

  private async waitForPartitions(topic: string, partitions: number): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const count = await this.partitionCount(topic).catch(() => 0);
      if (count === partitions) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`topic ${topic} did not show ${partitions} partitions in its metadata`);
  }
}
