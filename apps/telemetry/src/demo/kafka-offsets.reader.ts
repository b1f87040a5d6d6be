import type { TopicPartitionOffset } from '@confluentinc/kafka-javascript';
import { AdminClient, IAdminClient, KafkaConsumer, OffsetSpec } from '@confluentinc/kafka-javascript';

/**
 * The broker's view of a topic and its consumer groups, from an admin client: what the demo
 * reports is what Kafka says, not what the service believes.
 */
export class KafkaOffsetsReader {
  private readonly admin: IAdminClient;
  /**
   * Committed offsets come from a consumer of the group that never joins it: librdkafka's admin
   * ListConsumerGroupOffsets crashes the process when the broker answers NOT_COORDINATOR, as a
   * fresh broker does while it creates __consumer_offsets (the demo's first run).
   */
  private groupReader: { groupId: string; consumer: Promise<KafkaConsumer> } | undefined;

  constructor(
    private readonly bootstrap: string,
    private readonly rdkafka: Record<string, string> = {},
  ) {
    this.admin = AdminClient.create({
      'bootstrap.servers': bootstrap,
      'client.id': 'telemetry-demo',
      ...rdkafka,
    });
  }

  /** Records ever written to the topic (sum of the partitions' end offsets); 0 when it does not exist. */
  async endOffsets(topic: string): Promise<Map<number, number>> {
    const topics = await call<string[]>((done) => this.admin.listTopics({ timeout: 5_000 }, done));
    if (!topics.includes(topic)) return new Map();
    const [description] = await call<{ partitions: { partition: number }[] }[]>((done) =>
      this.admin.describeTopics([topic], { timeout: 5_000 }, done),
    );
    const offsets = await call<{ partition: number; offset: number }[]>((done) =>
      this.admin.listOffsets(
        description.partitions.map(({ partition }) => ({ topic, partition, offset: OffsetSpec.LATEST })),
        { timeout: 5_000 },
        done,
      ),
    );
    return new Map(offsets.map((o) => [o.partition, Number(o.offset)]));
  }

  /** Records of the topic the group has not committed yet. */
  async lag(groupId: string, topic: string): Promise<{ lag: number; end: number; committed: number }> {
    const end = await this.endOffsets(topic);
    const committed = await this.committedOffsets(groupId, topic, [...end.keys()]);
    let lag = 0;
    for (const [partition, offset] of end) lag += offset - (committed.get(partition) ?? 0);
    return { lag, end: sum(end), committed: sum(committed) };
  }

  private async committedOffsets(
    groupId: string,
    topic: string,
    partitions: number[],
  ): Promise<Map<number, number>> {
    if (partitions.length === 0) return new Map();
    const consumer = await this.consumerOf(groupId);
    const committed = await call<TopicPartitionOffset[]>((done) =>
      consumer.committed(
        partitions.map((partition) => ({ topic, partition })),
        5_000,
        done,
      ),
    );
    return new Map(
      committed.filter((c) => Number(c.offset) >= 0).map((c) => [c.partition, Number(c.offset)]),
    );
  }

  close(): void {
    this.admin.disconnect();
    void this.groupReader?.consumer.then((consumer) => consumer.disconnect()).catch(() => undefined);
  }

  private consumerOf(groupId: string): Promise<KafkaConsumer> {
    if (this.groupReader?.groupId !== groupId) {
      const consumer = new KafkaConsumer(
        {
          'bootstrap.servers': this.bootstrap,
          'client.id': 'telemetry-demo-offsets',
          'group.id': groupId,
          'enable.auto.commit': false,
          ...this.rdkafka,
        },
        {},
      );
      this.groupReader = {
        groupId,
        consumer: call((done) => consumer.connect({ timeout: 10_000 }, done)).then(() => consumer),
      };
    }
    return this.groupReader.consumer;
  }
}

export const sum = (offsets: Map<number, number>) => [...offsets.values()].reduce((a, b) => a + b, 0);

function call<T>(run: (done: (err: unknown, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    run((err, value) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(value))),
  );
}
