import { describePartition, partitionKey, TopicPartition } from '../common/topic-partition';
import { IAdminClient, IsolationLevel, OffsetSpec } from '@confluentinc/kafka-javascript';
import { fromCallback } from '../client/rdkafka.types';

/** A group's position on one partition next to the partition's bounds, as the broker reports them. */
export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** Next offset the group will read; undefined when it never committed on this partition. */
  committed: number | undefined;
  /** High watermark (read_uncommitted) or last stable offset (read_committed). */
  end: number;
  /** First offset still in the log (retention moves it). */
  logStart: number;
}

/**
 * The group's committed offsets for the partitions, asked of the group coordinator through the
 * listener's own consumer. (librdkafka's admin ListConsumerGroupOffsets can abort the process
 * when the coordinator connection drops: librdkafka issues #3663 and #4605.)
 */
export type CommittedOffsetsReader = (
  partitions: TopicPartition[],
  timeoutMs: number,
) => Promise<{ topic: string; partition: number; offset: number }[]>;

export interface GroupOffsetsSamplerOptions {
  subscription: string[] | RegExp;
  isolation: IsolationLevel;
  requestTimeoutMs: number;
  /** How often partition lists and log-start offsets are re-read; both change rarely. */
  metadataRefreshMs: number;
}

/**
 * Reads committed and end offsets of a group's topics: per sample, one OffsetFetch and one
 * ListOffsets request sent together. Partition lists and log-start offsets are refreshed on a
 * slower clock.
 */
export class GroupOffsetsSampler {
  private partitions: TopicPartition[] = [];
  private readonly logStart = new Map<string, number>();
  private refreshedAt = -Infinity;

  constructor(
    private readonly admin: IAdminClient,
    private readonly readCommitted: CommittedOffsetsReader,
    private readonly options: GroupOffsetsSamplerOptions,
  ) {}

  async sample(now: number): Promise<PartitionOffsets[]> {
    if (now - this.refreshedAt >= this.options.metadataRefreshMs) {
      await this.refreshMetadata();
      this.refreshedAt = now;
    }
    if (this.partitions.length === 0) return [];
    const [committed, end] = await Promise.all([
      this.committedOffsets(),
      this.listOffsets(OffsetSpec.LATEST),
    ]);
    return this.partitions.map(({ topic, partition }) => {
      const key = partitionKey(topic, partition);
      return {
        topic,
        partition,
        committed: committed.get(key),
        end: end.get(key) ?? 0,
        logStart: this.logStart.get(key) ?? 0,
      };
    });
  }

  private async refreshMetadata(): Promise<void> {
    const topics = await this.subscribedTopics();
    const descriptions =
      topics.length === 0
        ? []
        : await fromCallback<{ name: string; error?: unknown; partitions: { partition: number }[] }[]>(
            (done) => this.admin.describeTopics(topics, { timeout: this.options.requestTimeoutMs }, done),
          );
    // A subscribed topic that does not exist yet has no partitions to report.
    this.partitions = descriptions
      .filter((d) => !d.error)
      .flatMap((d) => d.partitions.map(({ partition }) => ({ topic: d.name, partition })))
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    const starts = this.partitions.length > 0 ? await this.listOffsets(OffsetSpec.EARLIEST) : new Map();
    this.logStart.clear();
    for (const [key, offset] of starts) this.logStart.set(key, offset);
  }

  private async subscribedTopics(): Promise<string[]> {
    const { subscription, requestTimeoutMs } = this.options;
    if (Array.isArray(subscription)) return subscription;
    const all = await fromCallback<string[]>((done) =>
      this.admin.listTopics({ timeout: requestTimeoutMs }, done),
    );
    return all.filter((topic) => !topic.startsWith('__') && subscription.test(topic));
  }

  private async committedOffsets(): Promise<Map<string, number>> {
    const committed = await this.readCommitted(this.partitions, this.options.requestTimeoutMs);
    return new Map(
      committed
        // librdkafka answers a negative logical offset where the group never committed.
        .filter((p) => Number(p.offset) >= 0)
        .map((p) => [partitionKey(p.topic, p.partition), Number(p.offset)]),
    );
  }

  private async listOffsets(spec: OffsetSpec): Promise<Map<string, number>> {
    const results = await fromCallback<{ topic: string; partition: number; offset: number; error?: Error }[]>(
      (done) =>
        this.admin.listOffsets(
          this.partitions.map(({ topic, partition }) => ({ topic, partition, offset: spec })),
          { timeout: this.options.requestTimeoutMs, isolationLevel: this.options.isolation },
          done,
        ),
    );
    const failed = results.find((r) => r.error);
    if (failed) throw new Error(`list offsets of ${describePartition(failed)}: ${failed.error!.message}`);
    return new Map(results.map((r) => [partitionKey(r.topic, r.partition), Number(r.offset)]));
  }
}
