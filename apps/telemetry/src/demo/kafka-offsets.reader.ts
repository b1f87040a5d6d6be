import { AdminClient, IAdminClient, OffsetSpec } from '@confluentinc/kafka-javascript';

/**
 * The broker's view of a topic and its consumer groups, from an admin client: what the demo
 * reports is what Kafka says, not what the service believes.
 */
export class KafkaOffsetsReader {
  private readonly admin: IAdminClient;

  constructor(bootstrap: string, rdkafka: Record<string, string> = {}) {
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

  async committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const [group] = await call<
      { error?: { message: string }; partitions: { topic: string; partition: number; offset: number }[] }[]
    >((done) => this.admin.listConsumerGroupOffsets([{ groupId }], { timeout: 5_000 }, done));
    if (group.error) throw new Error(`offsets of group ${groupId}: ${group.error.message}`);
    return new Map(
      group.partitions
        .filter((p) => p.topic === topic && Number(p.offset) >= 0)
        .map((p) => [p.partition, Number(p.offset)]),
    );
  }

  /** Records of the topic the group has not committed yet. */
  async lag(groupId: string, topic: string): Promise<{ lag: number; end: number; committed: number }> {
    const [end, committed] = await Promise.all([
      this.endOffsets(topic),
      this.committedOffsets(groupId, topic),
    ]);
    let lag = 0;
    for (const [partition, offset] of end) lag += offset - (committed.get(partition) ?? 0);
    return { lag, end: sum(end), committed: sum(committed) };
  }

  close(): void {
    this.admin.disconnect();
  }
}

export const sum = (offsets: Map<number, number>) => [...offsets.values()].reduce((a, b) => a + b, 0);

function call<T>(run: (done: (err: unknown, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    run((err, value) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(value))),
  );
}
