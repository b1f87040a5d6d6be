import { KafkaOffsetsReader, fromCallback } from '@org/kafka-offsets';
import { kafkaBootstrap } from './env';

/**
 * The broker's own view of topics, groups and offsets, plus the topic chores of a test: tests
 * assert against this, never against what the code under test believes it did.
 */
export class KafkaAdmin extends KafkaOffsetsReader {
  constructor(bootstrap = kafkaBootstrap()) {
    super(bootstrap, 'test-harness-admin');
  }

  async createTopic(topic: string, partitions: number, config: Record<string, string> = {}): Promise<void> {
    await fromCallback((done) =>
      this.admin.createTopic(
        { topic, num_partitions: partitions, replication_factor: 1, config },
        30_000,
        done,
      ),
    );
    await this.waitForPartitions(topic, partitions);
  }

  async deleteTopic(topic: string): Promise<void> {
    await fromCallback((done) => this.admin.deleteTopic(topic, 30_000, done));
  }

  /** Moves the partition's log start to `offset`, as retention would. */
  async deleteRecordsBefore(topic: string, partition: number, offset: number): Promise<void> {
    const [result] = await fromCallback<{ error?: Error }[]>((done) =>
      this.admin.deleteRecords([{ topic, partition, offset }], { timeout: 10_000 }, done),
    );
    if (result.error) throw result.error;
  }

  /** Sets an empty group's committed offsets, as `kafka-consumer-groups --reset-offsets` would. */
  async commitGroupOffsets(
    groupId: string,
    topic: string,
    offsets: ReadonlyMap<number, number>,
  ): Promise<void> {
    const consumer = await this.groupReader(groupId);
    consumer.commitSync([...offsets].map(([partition, offset]) => ({ topic, partition, offset })));
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
