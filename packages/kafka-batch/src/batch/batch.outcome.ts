import { partitionKey, TopicPartitionOffset } from '../common/topic-partition';

/** Where a partition's fetching starts again, and after how long. */
export type Redelivery =
  | { from: number; backoffMs: number }
  /** An outage, not bad records: the backoff grows with the partition's transient failures in a row. */
  | { from: number; transient: true; cause: string }
  /** Exactly-once mode: the stored offset moved under this member; the partition goes where it says. */
  | { from: number; reposition: true };

export interface PartitionOutcome {
  /** Offsets done in this batch: handled and acknowledged, or confirmed on the dead-letter topic. */
  readonly done: number[];
  redelivery: Redelivery | undefined;
  /** An invocation with this partition's records succeeded: an outage it had is over. */
  succeeded: boolean;
}

/**
 * What running a batch came to, per partition: what is done and where redelivery must start. The
 * container applies it when the batch ends (commits, rewinds, backoffs); running a batch changes
 * nothing else.
 */
export class BatchOutcome {
  private readonly partitions = new Map<string, PartitionOutcome>();
  /** Records come grouped by partition: most lookups are for the partition of the one before. */
  private last: { topic: string; partition: number; outcome: PartitionOutcome } | undefined;

  of(topic: string, partition: number): PartitionOutcome | undefined {
    return this.partitions.get(partitionKey(topic, partition));
  }

  done(records: Iterable<TopicPartitionOffset>): void {
    for (const r of records) this.partition(r).done.push(r.offset);
  }

  succeeded(records: Iterable<TopicPartitionOffset>): void {
    for (const r of records) this.partition(r).succeeded = true;
  }

  /** Everything from the earliest of `records` on its partition is delivered again. */
  redeliver(records: Iterable<TopicPartitionOffset>, backoffMs = 0): void {
    for (const r of records) this.redeliverFrom(r, { from: r.offset, backoffMs });
  }

  transient(records: Iterable<TopicPartitionOffset>, cause: string): void {
    for (const r of records) this.redeliverFrom(r, { from: r.offset, transient: true, cause });
  }

  /** Partitions continue at these offsets, whatever else this batch came to for them. */
  reposition(stored: Iterable<TopicPartitionOffset>): void {
    // A partition without a stored offset (its row was deleted) is simply delivered again.
    for (const r of stored)
      if (r.offset >= 0) this.partition(r).redelivery = { from: r.offset, reposition: true };
  }

  /** The earliest redelivery of a partition wins (nothing at or after it is done), unless it was repositioned. */
  private redeliverFrom(record: TopicPartitionOffset, redelivery: Redelivery): void {
    const outcome = this.partition(record);
    const current = outcome.redelivery;
    if (current && 'reposition' in current) return;
    if (!current || redelivery.from < current.from) outcome.redelivery = redelivery;
  }

  private partition({ topic, partition }: TopicPartitionOffset): PartitionOutcome {
    const last = this.last;
    if (last && last.partition === partition && last.topic === topic) return last.outcome;
    const key = partitionKey(topic, partition);
    let outcome = this.partitions.get(key);
    if (!outcome) {
      outcome = { done: [], redelivery: undefined, succeeded: false };
      this.partitions.set(key, outcome);
    }
    this.last = { topic, partition, outcome };
    return outcome;
  }
}
