import type { TopicPartition } from '../common/topic-partition';

/** A partition, as the hooks are given it. */
export type TopicPartitionRef = TopicPartition;

export interface CommittedPartition extends TopicPartitionRef {
  /** The confirmed committed offset (next record to read), or undefined when nothing was committed. */
  offset: number | undefined;
}

/**
 * Hooks into a listener's group membership, like Spring Kafka's ConsumerAwareRebalanceListener.
 * Register a provider implementing it and name it in `@BatchListener({ rebalanceListener })`.
 * Hooks may be async; each is bounded by `rebalanceListenerTimeoutMs`, and an error or a timeout
 * is logged without stopping the rebalance.
 */
export interface KafkaRebalanceListener {
  /** Partitions now owned; their first batch has not been dispatched yet. */
  onPartitionsAssigned?(partitions: TopicPartitionRef[]): unknown;
  /** Revoked partitions: dispatching stopped and in-flight batches finished; nothing committed yet. */
  onPartitionsRevokedBeforeCommit?(partitions: TopicPartitionRef[]): unknown;
  /** Revoked partitions after the acknowledged offsets were committed and confirmed, before they are released. */
  onPartitionsRevoked?(partitions: CommittedPartition[]): unknown;
  /** Partitions lost (session expired, fenced): nothing was committed and in-flight results were discarded. */
  onPartitionsLost?(partitions: TopicPartitionRef[]): unknown;
}
