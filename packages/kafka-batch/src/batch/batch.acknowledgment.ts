import { partitionKey } from '../common/topic-partition';
import type { Acknowledgment, KafkaRecord } from '../interfaces/kafka-record.interface';
import type { BatchOutcome } from './batch.outcome';

/** Collects what a handler acknowledged during one invocation; settled into the batch's outcome after it. */
export class BatchAcknowledgment implements Acknowledgment {
  private all = false;
  /** Per partition: acknowledged up to and including this offset. */
  private readonly through = new Map<string, number>();
  /** Per partition: redeliver from this offset after the backoff. */
  private readonly nacks = new Map<string, { offset: number; backoffMs: number }>();

  /** Unless the handler acknowledges (ackMode 'manual'), a successful invocation acknowledges all it was given. */
  constructor(private readonly manual: boolean) {}

  acknowledge(record?: KafkaRecord): void {
    if (!record) {
      this.all = true;
      return;
    }
    const key = partitionKey(record.topic, record.partition);
    this.through.set(key, Math.max(this.through.get(key) ?? -1, record.offset));
  }

  nack(record: KafkaRecord, { backoffMs = 0 }: { backoffMs?: number } = {}): void {
    if (!Number.isFinite(backoffMs) || backoffMs < 0) {
      throw new RangeError(`nack backoffMs must be a non-negative number of milliseconds (got ${backoffMs})`);
    }
    const key = partitionKey(record.topic, record.partition);
    const earlier = this.nacks.get(key);
    if (!earlier || record.offset < earlier.offset) this.nacks.set(key, { offset: record.offset, backoffMs });
  }

  /**
   * After a successful invocation: acknowledged records are done; from a nacked record, or the first
   * one not acknowledged, a partition is delivered again. Returns the first unacknowledged record of
   * each partition that was neither acknowledged nor nacked, for the log.
   */
  settle(records: readonly KafkaRecord[], outcome: BatchOutcome): KafkaRecord[] {
    outcome.succeeded(records);
    const unacknowledged: KafkaRecord[] = [];
    forEachPartition(records, (ofPartition, key) => {
      const nack = this.nacks.get(key);
      const through = this.all || !this.manual ? Infinity : (this.through.get(key) ?? -1);
      const doneBelow = nack ? Math.min(nack.offset, through + 1) : through + 1;
      const notDone = ofPartition.findIndex((r) => r.offset >= doneBelow);
      outcome.done(notDone < 0 ? ofPartition : ofPartition.slice(0, notDone));
      if (notDone < 0) return;
      outcome.redeliver([ofPartition[notDone]], nack?.backoffMs ?? 0);
      if (!nack) unacknowledged.push(ofPartition[notDone]);
    });
    return unacknowledged;
  }

  /** Partial acknowledgements made before the handler threw still count; returns the records left. */
  settleBeforeFailure(records: readonly KafkaRecord[], outcome: BatchOutcome): readonly KafkaRecord[] {
    if (!this.manual || this.through.size === 0) return records;
    const left: KafkaRecord[] = [];
    for (const record of records) {
      if (record.offset <= (this.through.get(partitionKey(record.topic, record.partition)) ?? -1))
        outcome.done([record]);
      else left.push(record);
    }
    return left;
  }
}

/** Calls `each` with the records of each partition; a batch holds them grouped by partition. */
function forEachPartition(
  records: readonly KafkaRecord[],
  each: (ofPartition: readonly KafkaRecord[], key: string) => void,
): void {
  let start = 0;
  for (let i = 1; i <= records.length; i++) {
    const first = records[start];
    if (i < records.length && records[i].partition === first.partition && records[i].topic === first.topic)
      continue;
    each(
      start === 0 && i === records.length ? records : records.slice(start, i),
      partitionKey(first.topic, first.partition),
    );
    start = i;
  }
}
