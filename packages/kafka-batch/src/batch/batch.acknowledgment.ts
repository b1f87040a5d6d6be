import type { Acknowledgment, KafkaRecord } from '../interfaces/kafka-record.interface';
import { partitionKey } from '../client/rdkafka.types';

/** Collects what a handler acknowledged during one invocation; the processor settles it afterwards. */
export class BatchAcknowledgment implements Acknowledgment {
  all = false;
  /** Per partition: acknowledged up to and including this offset. */
  readonly through = new Map<string, number>();
  /** Per partition: redeliver from this offset after the backoff. */
  readonly nacks = new Map<string, { offset: number; backoffMs: number }>();

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
}
