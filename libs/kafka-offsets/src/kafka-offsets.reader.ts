import {
  AdminClient,
  CODES,
  IAdminClient,
  KafkaConsumer,
  OffsetSpec,
  TopicPartitionOffset,
} from '@confluentinc/kafka-javascript';
import { fromCallback } from './callback';

export type PartitionOffsets = Map<number, number>;

/** A group's progress on one topic: records not committed yet, per partition and in total. */
export interface GroupLag {
  total: number;
  byPartition: PartitionOffsets;
  end: PartitionOffsets;
  committed: PartitionOffsets;
}

/**
 * What a fresh broker answers while it creates __consumer_offsets and elects the coordinator, and
 * what librdkafka reports when its own wait for the coordinator runs out.
 */
const COORDINATOR_STARTING: ReadonlySet<number> = new Set([
  CODES.ERRORS.ERR_COORDINATOR_LOAD_IN_PROGRESS,
  CODES.ERRORS.ERR_COORDINATOR_NOT_AVAILABLE,
  CODES.ERRORS.ERR_NOT_COORDINATOR,
  CODES.ERRORS.ERR__WAIT_COORD,
  CODES.ERRORS.ERR__TIMED_OUT,
  CODES.ERRORS.ERR__TRANSPORT,
]);
const COORDINATOR_WAIT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Reads the broker's own view of a topic and a group's progress on it: what the demo reports and
 * the tests assert is what Kafka says, never what the code under test believes it did.
 */
export class KafkaOffsetsReader {
  protected readonly admin: IAdminClient;
  /**
   * Committed offsets are read by a consumer that never joins the group, not by the admin API:
   * librdkafka's ListConsumerGroupOffsets crashes the process (SIGSEGV in rd_kafka_cgrp_op) when the
   * broker answers NOT_COORDINATOR, as a fresh broker does while it creates __consumer_offsets.
   */
  private readonly groupReaders = new Map<string, Promise<KafkaConsumer>>();

  constructor(
    private readonly bootstrap: string,
    private readonly clientId: string,
    private readonly rdkafka: Record<string, string> = {},
  ) {
    this.admin = AdminClient.create({ 'bootstrap.servers': bootstrap, 'client.id': clientId, ...rdkafka });
  }

  async listTopics(): Promise<string[]> {
    return fromCallback<string[]>((done) => this.admin.listTopics({ timeout: REQUEST_TIMEOUT_MS }, done));
  }

  async partitionCount(topic: string): Promise<number> {
    const [description] = await fromCallback<{ error?: { message: string }; partitions: unknown[] }[]>(
      (done) => this.admin.describeTopics([topic], { timeout: REQUEST_TIMEOUT_MS }, done),
    );
    if (description.error) throw new Error(`cannot describe topic ${topic}: ${description.error.message}`);
    return description.partitions.length;
  }

  /** Next offset to be written per partition (the high watermark). */
  async endOffsets(topic: string): Promise<PartitionOffsets> {
    return this.readEndOffsets(topic, await this.partitionCount(topic));
  }

  /** The group's committed offset per partition of the topic; partitions never committed are absent. */
  async committedOffsets(groupId: string, topic: string): Promise<PartitionOffsets> {
    return this.readCommittedOffsets(groupId, topic, await this.partitionCount(topic));
  }

  async lag(groupId: string, topic: string): Promise<GroupLag> {
    const partitions = await this.partitionCount(topic);
    const [end, committed] = await Promise.all([
      this.readEndOffsets(topic, partitions),
      this.readCommittedOffsets(groupId, topic, partitions),
    ]);
    const byPartition = new Map(
      [...end].map(([partition, endOffset]) => [partition, endOffset - (committed.get(partition) ?? 0)]),
    );
    return { total: sum(byPartition), byPartition, end, committed };
  }

  close(): void {
    this.admin.disconnect();
    for (const reader of this.groupReaders.values())
      void reader.then((consumer) => consumer.disconnect()).catch(() => undefined);
    this.groupReaders.clear();
  }

  private async readEndOffsets(topic: string, partitions: number): Promise<PartitionOffsets> {
    const results = await fromCallback<{ partition: number; offset: number }[]>((done) =>
      this.admin.listOffsets(
        Array.from({ length: partitions }, (_, partition) => ({
          topic,
          partition,
          offset: OffsetSpec.LATEST,
        })),
        { timeout: REQUEST_TIMEOUT_MS },
        done,
      ),
    );
    return new Map(results.map((r) => [r.partition, Number(r.offset)]));
  }

  private async readCommittedOffsets(
    groupId: string,
    topic: string,
    partitions: number,
  ): Promise<PartitionOffsets> {
    const reader = await this.groupReader(groupId);
    const deadline = Date.now() + COORDINATOR_WAIT_MS;
    for (;;) {
      try {
        const offsets = await fromCallback<TopicPartitionOffset[]>((done) =>
          reader.committed(
            Array.from({ length: partitions }, (_, partition) => ({ topic, partition })),
            REQUEST_TIMEOUT_MS,
            done,
          ),
        );
        // The binding puts a bare Error (no partition, no code) where one partition failed.
        const failed = offsets.findIndex((o) => o instanceof Error);
        if (failed >= 0)
          throw new Error(
            `committed offset of ${topic}[${failed}] for group ${groupId}: ${(offsets[failed] as unknown as Error).message}`,
          );
        // librdkafka answers a negative logical offset where the group never committed.
        return new Map(
          offsets.filter((o) => Number(o.offset) >= 0).map((o) => [o.partition, Number(o.offset)]),
        );
      } catch (err) {
        const code = (err as { code?: number }).code ?? 0;
        if (!COORDINATOR_STARTING.has(code) || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  protected groupReader(groupId: string): Promise<KafkaConsumer> {
    let reader = this.groupReaders.get(groupId);
    if (!reader) {
      const consumer = new KafkaConsumer(
        {
          'bootstrap.servers': this.bootstrap,
          'client.id': `${this.clientId}-offsets`,
          'group.id': groupId,
          'enable.auto.commit': false,
          ...this.rdkafka,
        },
        {},
      );
      reader = fromCallback((done) => consumer.connect({ timeout: 30_000 }, done)).then(() => consumer);
      reader.catch(() => this.groupReaders.delete(groupId));
      this.groupReaders.set(groupId, reader);
    }
    return reader;
  }
}

export const sum = (offsets: PartitionOffsets): number => [...offsets.values()].reduce((a, b) => a + b, 0);
