import type { TopicPartition } from '../common/topic-partition';

/** The stored offset of a partition nobody committed yet: it starts where Kafka says. */
export const NO_STORED_OFFSET = -1;

/** One partition's stored offset moves from `expected` (what this member last saw) to `next`. */
export interface OffsetMove extends TopicPartition {
  readonly expected: number;
  readonly next: number;
}

/** A database transaction that carries the handler's writes and the batch's offsets. */
export interface OffsetStoreTransaction {
  /** What the handler writes through (TypeORM: an EntityManager bound to the transaction). */
  readonly manager: unknown;
  /**
   * Moves each partition's stored offset, but only where it still is `expected`; returns the
   * partitions where it was not (another member committed them meanwhile). Their rows stay
   * locked until the transaction ends, so two members cannot both move the same offset.
   */
  advance(groupId: string, moves: readonly OffsetMove[]): Promise<TopicPartition[]>;
  commit(): Promise<void>;
  /** Ends the transaction without its writes; harmless after commit or a failed begin. */
  rollback(): Promise<void>;
}

/** Where a listener in exactly-once mode keeps its offsets: the application's database. */
export interface OffsetStore {
  /** The stored next offsets of the partitions; partitions without a row get one at NO_STORED_OFFSET. */
  read(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, number>>;
  begin(): Promise<OffsetStoreTransaction>;
}
