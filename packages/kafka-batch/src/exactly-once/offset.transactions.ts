import type { LoggerService } from '@nestjs/common';
import type { ListenerInvoker } from '../batch/batch.runner';
import type { Clock } from '../common/clock';
import { messageOf } from '../common/errors';
import {
  describePartitions,
  partitionKey,
  TopicPartition,
  TopicPartitionOffset,
} from '../common/topic-partition';
import type { KafkaBatch, KafkaRecord } from '../interfaces/kafka-record.interface';
import { NO_STORED_OFFSET, OffsetMove, OffsetStore } from './offset.store';
import { OffsetsFencedError } from './offsets-fenced.error';

const READ_RETRY_MS = 1_000;
const READ_RETRY_MAX_MS = 30_000;

/**
 * The exactly-once mode: each handler invocation runs in a database transaction that also moves
 * its partitions' stored offsets, compare-and-set from where this member last saw them. The
 * database is the source of truth: newly assigned partitions start where it says.
 */
export class OffsetTransactions {
  /** Per partition: the next offset as this member last read or wrote it. */
  private readonly stored = new Map<string, number>();

  constructor(
    private readonly store: OffsetStore,
    private readonly groupId: string,
    private readonly clock: Clock,
    private readonly logger: LoggerService,
  ) {}

  /**
   * Reads the stored offsets of newly assigned partitions, trying again while the database cannot
   * answer; resolves with the partitions that have one (to seek to), or none once `signal` aborts.
   */
  async restore(partitions: readonly TopicPartition[], signal: AbortSignal): Promise<TopicPartitionOffset[]> {
    for (let failures = 0; !signal.aborted; failures++) {
      try {
        const stored = await this.reread(partitions);
        return stored.filter((p) => p.offset !== NO_STORED_OFFSET);
      } catch (err) {
        const delayMs = Math.min(READ_RETRY_MAX_MS, READ_RETRY_MS * 2 ** failures);
        this.logger.warn(
          `cannot read the stored offsets of ${describePartitions(partitions)}, trying again in ${delayMs} ms: ${messageOf(err)}`,
        );
        await this.clock.sleep(delayMs, signal);
      }
    }
    return [];
  }

  /** The handler, run in a transaction that commits its writes with the offsets past its records. */
  wrap(invoke: ListenerInvoker): ListenerInvoker {
    return (payload, ack) =>
      this.inTransaction(recordsOf(payload), (manager) => invoke(payload, ack, manager));
  }

  /** Moves the stored offsets past records that went to the dead-letter topic, alone in a transaction. */
  async skipPast(records: readonly TopicPartitionOffset[]): Promise<void> {
    await this.inTransaction(records, async () => undefined);
  }

  private async inTransaction(
    records: readonly TopicPartitionOffset[],
    work: (manager: unknown) => Promise<unknown>,
  ): Promise<unknown> {
    const moves = this.movesPast(records);
    // Records below the offset this member last stored are stored already: their batch was fetched
    // from a position read before that commit landed (a partition lost and assigned again while
    // its old batch still committed). The compare-and-set alone would pass, from where this
    // member's own commit left the offset.
    const behind = moves.filter((move) => move.first < move.expected);
    if (behind.length > 0) throw await this.fencedAt(behind);
    const transaction = await this.store.begin();
    let result: unknown;
    try {
      // Offsets first: a member that lost its partitions learns it before doing any work, and
      // the rows it locks are the ones another member's transaction would wait for.
      const fenced = await transaction.advance(this.groupId, moves);
      if (fenced.length > 0) {
        await transaction.rollback();
        throw await this.fencedAt(fenced);
      }
      result = await work(transaction.manager);
      await transaction.commit();
    } catch (err) {
      await transaction.rollback().catch(() => undefined);
      throw err;
    }
    for (const move of moves) this.stored.set(partitionKey(move.topic, move.partition), move.next);
    return result;
  }

  /** Per partition: from the stored offset to just past its last record here, and its first record. */
  private movesPast(records: readonly TopicPartitionOffset[]): (OffsetMove & { first: number })[] {
    type Span = { topic: string; partition: number; first: number; last: number };
    const spans = new Map<string, Span>();
    // Records come grouped by partition: most belong to the span of the one before.
    let span: Span | undefined;
    for (const { topic, partition, offset } of records) {
      if (span?.partition !== partition || span.topic !== topic) {
        const key = partitionKey(topic, partition);
        span = spans.get(key);
        if (!span) spans.set(key, (span = { topic, partition, first: offset, last: offset }));
      }
      span.first = Math.min(span.first, offset);
      span.last = Math.max(span.last, offset);
    }
    return [...spans].map(([key, { topic, partition, first, last }]) => {
      const expected = this.stored.get(key);
      // Batches start only after restore(): a partition without a known offset is a bug.
      if (expected === undefined)
        throw new Error(`no stored offset known for ${describePartitions([{ topic, partition }])}`);
      return { topic, partition, expected, first, next: last + 1 };
    });
  }

  /** Rereads where fenced partitions really are, for the listener to seek there. */
  private async fencedAt(partitions: readonly TopicPartition[]): Promise<OffsetsFencedError> {
    return new OffsetsFencedError(await this.reread(partitions));
  }

  /** The partitions' stored offsets as the database has them now; this member expects them from now on. */
  private async reread(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    const read = await this.store.read(this.groupId, partitions);
    return partitions.map(({ topic, partition }) => {
      const offset = read.get(partitionKey(topic, partition)) ?? NO_STORED_OFFSET;
      this.stored.set(partitionKey(topic, partition), offset);
      return { topic, partition, offset };
    });
  }
}

function recordsOf(payload: KafkaBatch | KafkaRecord): readonly KafkaRecord[] {
  return 'records' in payload ? payload.records : [payload];
}
