/** One Kafka record as a handler sees it: the decoded value plus where it came from. */
export interface KafkaRecord<T = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  /** Header values by name; when a name repeats, the last value wins (all values in `headerList`). */
  readonly headers: Readonly<Record<string, Buffer>>;
  readonly headerList: ReadonlyArray<readonly [string, Buffer]>;
  readonly timestamp: number | undefined;
  /** The value after deserialization (and validation, when a DTO is configured). */
  readonly value: T;
  /** The bytes as they arrived. */
  readonly raw: Buffer | null;
  readonly size: number;
}

/** The records of one partition inside a batch, in offset order. */
export interface PartitionRecords<T = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly records: ReadonlyArray<KafkaRecord<T>>;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

/**
 * What a @BatchListener method receives: at most maxPollRecords records, grouped by partition,
 * in offset order within each partition.
 */
export interface KafkaBatch<T = unknown> {
  readonly listenerId: string;
  readonly groupId: string;
  readonly records: ReadonlyArray<KafkaRecord<T>>;
  readonly values: ReadonlyArray<T>;
  readonly size: number;
  readonly partitions: ReadonlyArray<PartitionRecords<T>>;
}

/**
 * Acknowledgement for ackMode 'manual'. Nothing is committed until the handler acknowledges;
 * a batch that is neither acknowledged nor nacked is delivered again.
 */
export interface Acknowledgment {
  /** Without a record: the whole batch is done. With one: its partition is done up to and including it. */
  acknowledge(record?: KafkaRecord): void;
  /**
   * Everything before `record` on its partition is done; `record` and the rest of that partition
   * are delivered again after `backoffMs`, and only that partition pauses meanwhile.
   */
  nack(record: KafkaRecord, options?: { backoffMs?: number }): void;
}
