import type { RawRecord } from '../interfaces/raw-record.interface';
import type { TopicPartition, TopicPartitionOffset } from '../common/topic-partition';

/**
 * What a listener container needs of a Kafka consumer: the seam between the library's rules and
 * librdkafka. RdKafkaConsumerClient implements it; unit tests drive a fake.
 */
export interface ConsumerClient {
  connect(): Promise<void>;
  subscribe(subscription: readonly string[] | RegExp): void;
  /** Up to `max` records, as soon as one is there or after the consume timeout (then none). */
  consume(max: number): Promise<RawRecord[]>;
  /** Sends a commit; the broker's answer comes through ConsumerEvents.commitAnswered, in request order. */
  commit(offsets: readonly TopicPartitionOffset[]): void;
  /** Moves a partition's fetch position to an offset (or -2 beginning, -1 end). */
  seek(position: TopicPartitionOffset): Promise<void>;
  /** The first offset whose timestamp is at or after `timestamp` (the end offset when none is). */
  offsetForTime(partition: TopicPartition, timestamp: number): Promise<number>;
  /** The group's committed offsets, asked of the group coordinator. */
  committed(partitions: readonly TopicPartition[], timeoutMs: number): Promise<TopicPartitionOffset[]>;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** Takes partitions a rebalance assigned; incremental under a cooperative protocol. */
  assign(partitions: readonly TopicPartition[]): void;
  /** Lets revoked partitions go; under an eager protocol, the whole assignment. */
  unassign(partitions: readonly TopicPartition[]): void;
  disconnect(): Promise<void>;
}

export type RebalanceEvent =
  | { kind: 'assign'; partitions: TopicPartition[] }
  /** `lost`: the session expired or the member was fenced; others may own them already. */
  | { kind: 'revoke'; partitions: TopicPartition[]; lost: boolean }
  | { kind: 'error'; message: string };

export interface CommitAnswer {
  /** The whole request failed. */
  error: Error | undefined;
  /** Partitions the broker refused, by partitionKey. */
  rejected: ReadonlySet<string>;
}

/** What a consumer reports to its container, on librdkafka's threads' schedule. */
export interface ConsumerEvents {
  rebalanced(event: RebalanceEvent): void;
  commitAnswered(answer: CommitAnswer): void;
  /** The client cannot go on (fenced static member, failed authentication): the listener must stop. */
  failed(reason: string): void;
  /** Worth an operator's attention, not the listener's. */
  warned(message: string, severity: 'error' | 'warn'): void;
}
