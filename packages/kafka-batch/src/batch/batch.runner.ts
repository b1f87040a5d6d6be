import type { Clock } from '../common/clock';
import { asError, messageOf } from '../common/errors';
import { describeRecords, partitionKey, TopicPartitionOffset } from '../common/topic-partition';
import type { ListenerEvents } from '../container/listener.events';
import type { DeadLetterRecoverer } from '../failure/dead-letter.recoverer';
import type { RetryingErrorHandler } from '../failure/retrying.error-handler';
import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { Acknowledgment, KafkaBatch, KafkaRecord } from '../interfaces/kafka-record.interface';
import type { RawRecord } from '../interfaces/raw-record.interface';
import type { RecordDecoder } from '../records/record.decoder';
import { BatchAcknowledgment } from './batch.acknowledgment';
import { BatchOutcome } from './batch.outcome';
import { createBatch } from './kafka-batch';
import { traceDecision } from '../tracing/failure.tracer';
import { OffsetsFencedError } from '../exactly-once/offsets-fenced.error';
import type { OffsetTransactions } from '../exactly-once/offset.transactions';

/**
 * The user's method behind Nest's context (guards, interceptors, pipes, filters); rejects when it
 * failed. In exactly-once mode it also gets the transaction's EntityManager.
 */
export type ListenerInvoker = (
  payload: KafkaBatch | KafkaRecord,
  ack: Acknowledgment,
  transaction?: unknown,
) => Promise<unknown>;

/** Each partition's signal: aborted when it is revoked or the listener stops. */
export type PartitionSignals = (topic: string, partition: number) => AbortSignal;

export interface BatchRunnerDeps {
  options: Pick<ResolvedListenerOptions, 'id' | 'groupId' | 'ackMode' | 'listenerType' | 'retry'>;
  invoke: ListenerInvoker;
  decoder: Pick<RecordDecoder, 'decode'>;
  errors: RetryingErrorHandler;
  recoverer: Pick<DeadLetterRecoverer, 'recover'>;
  /** Exactly-once mode: invocations are transactions that store offsets; dead letters move them too. */
  storedOffsets?: Pick<OffsetTransactions, 'skipPast'>;
  events: ListenerEvents;
  clock: Clock;
  logger: { warn(message: string): void };
}

type Settled = 'settled' | 'interrupted';

/**
 * Runs one dispatched batch: decode, dead-letter what cannot be decoded, invoke the handler (per
 * batch or per record) until its records are settled, and return the outcome. Retries, bisection
 * and dead-lettering follow the error handler's decisions; a partition's revoke, or the listener's
 * stop, cuts short only the waits of records of that partition.
 */
export class BatchRunner {
  constructor(private readonly deps: BatchRunnerDeps) {}

  async run(raws: readonly RawRecord[], signals: PartitionSignals): Promise<BatchOutcome> {
    const outcome = new BatchOutcome();
    const decoded = await this.deps.decoder.decode(raws, () => everyAborted(raws, signals));
    if (decoded === 'interrupted') return this.redeliver(raws, outcome);
    const { records, undecodable } = decoded;
    if (undecodable.length > 0) {
      const letters = undecodable.map(({ raw, reason }) => ({ raw, reason, attempts: 0 }));
      const unpublished = await this.deps.recoverer.recover(
        letters,
        signalOf(
          letters.map((l) => l.raw),
          signals,
        ),
      );
      outcome.done(letters.filter((l) => !unpublished.includes(l)).map((l) => l.raw));
      if (unpublished.length > 0) {
        outcome.redeliver([...records, ...unpublished.map((l) => l.raw)]);
        return outcome;
      }
      if ((await this.skipPast(leadingOnTheirPartitions(undecodable, records), outcome)) === 'interrupted')
        return this.redeliver(records, outcome);
    }
    if (this.deps.options.listenerType === 'batch') {
      await this.handle(records, outcome, signals);
      return outcome;
    }
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      // Its partition is delivered again from an earlier record (not acknowledged, or nacked).
      if (outcome.of(record.topic, record.partition)?.redelivery) continue;
      // Stop and revoke wait for a batch they find running: records not begun are left for later.
      if (i > 0 && signals(record.topic, record.partition).aborted)
        return this.redeliver(records.slice(i), outcome);
      if ((await this.handle([record], outcome, signals)) === 'interrupted')
        return this.redeliver(records.slice(i + 1), outcome);
    }
    return outcome;
  }

  /**
   * Invokes the handler until `records` are done, dead-lettered, or left for redelivery
   * (interrupted). `attemptsAllowed` is what this call may spend; `spent` counts invocations a
   * bisected parent already made, for the dead-letter headers.
   */
  private async handle(
    records: readonly KafkaRecord[],
    outcome: BatchOutcome,
    signals: PartitionSignals,
    attemptsAllowed = this.deps.options.retry.attempts,
    spent = 0,
  ): Promise<Settled> {
    const { errors, clock } = this.deps;
    let remaining = records;
    let attempt = 0;
    let failingSince = '';
    while (remaining.length > 0) {
      // Stop and revoke wait for a batch that started: only its retries are cut short.
      if (attempt > 0 && signalOf(remaining, signals).aborted) return this.interrupt(remaining, outcome);
      const ack = new BatchAcknowledgment(this.deps.options.ackMode === 'manual');
      const error = await this.invoke(remaining, ack);
      if (error === undefined) {
        this.warnUnacknowledged(ack.settle(remaining, outcome));
        return 'settled';
      }
      if (error instanceof OffsetsFencedError) {
        outcome.redeliver(remaining);
        return this.fenced(error, outcome);
      }
      remaining = ack.settleBeforeFailure(remaining, outcome);
      const { doneBefore, failing: failingCount } = errors.locate(error, remaining);
      if (doneBefore > 0 && this.deps.storedOffsets) {
        // Its transaction rolled back what the handler did before the failing record: that goes again alone.
        const before = remaining.slice(0, doneBefore);
        if ((await this.handle(before, outcome, signals, attemptsAllowed, spent)) === 'interrupted')
          return this.interrupt(remaining.slice(doneBefore), outcome);
      } else outcome.done(remaining.slice(0, doneBefore));
      remaining = remaining.slice(doneBefore);
      if (remaining.length === 0) return 'settled';
      const failing = remaining.slice(0, failingCount);
      // Attempts count on the same records failing the same way; a new failure point starts over.
      const failurePoint = `${partitionKey(failing[0].topic, failing[0].partition)}@${failing[0].offset}/${failingCount}`;
      attempt = failurePoint === failingSince ? attempt + 1 : 1;
      failingSince = failurePoint;
      const decision = errors.decide({ error, failing, attempt, attemptsAllowed, spent });
      const decided = traceDecision(error, decision, failing);
      switch (decision.action) {
        case 'redeliver-later':
          outcome.transient(remaining, messageOf(error));
          return 'interrupted';
        case 'retry':
          await clock.sleep(decision.delayMs, signalOf(failing, signals));
          decided.end();
          continue;
        case 'bisect':
          // Only a failure that concerns every remaining record is bisected.
          return this.bisect(remaining, outcome, signals, spent + attempt);
        case 'dead-letter': {
          const letters = failing.map((r) => ({
            raw: rawOf(r),
            reason: asError(error),
            attempts: decision.attempts,
          }));
          if ((await this.deps.recoverer.recover(letters, signalOf(failing, signals))).length > 0)
            return this.interrupt(remaining, outcome);
          outcome.done(failing);
          if ((await this.skipPast(failing, outcome)) === 'interrupted')
            return this.interrupt(remaining.slice(failing.length), outcome);
          remaining = remaining.slice(failing.length);
          attempt = 0;
          failingSince = '';
        }
      }
    }
    return 'settled';
  }

  /** Each half once more, recursively: down to the records that fail alone. */
  private async bisect(
    records: readonly KafkaRecord[],
    outcome: BatchOutcome,
    signals: PartitionSignals,
    spent: number,
  ): Promise<Settled> {
    const half = Math.ceil(records.length / 2);
    if ((await this.handle(records.slice(0, half), outcome, signals, 1, spent)) === 'interrupted')
      return this.interrupt(records.slice(half), outcome);
    return this.handle(records.slice(half), outcome, signals, 1, spent);
  }

  /**
   * Exactly-once mode: the stored offsets move past dead-lettered records now, so no later owner
   * publishes them again. When the database cannot do it, the next transaction of the partition
   * will (a crash before that publishes them again); a fence stops the batch there.
   */
  private async skipPast(records: readonly TopicPartitionOffset[], outcome: BatchOutcome): Promise<Settled> {
    if (!this.deps.storedOffsets || records.length === 0) return 'settled';
    try {
      await this.deps.storedOffsets.skipPast(records);
    } catch (err) {
      if (err instanceof OffsetsFencedError) return this.fenced(err, outcome);
      this.deps.logger.warn(
        `${this.deps.options.id}: cannot store the offsets past dead-lettered ${describeRecords(records)} yet: ${messageOf(err)}`,
      );
    }
    return 'settled';
  }

  private fenced(error: OffsetsFencedError, outcome: BatchOutcome): Settled {
    this.deps.logger.warn(`${this.deps.options.id}: ${error.message}; going on from there`);
    outcome.reposition(error.stored);
    return 'interrupted';
  }

  /** Runs the handler once; returns what it threw, or undefined. */
  private async invoke(records: readonly KafkaRecord[], ack: BatchAcknowledgment): Promise<unknown> {
    const { options, invoke, events } = this.deps;
    const payload =
      options.listenerType === 'record'
        ? records[0]
        : createBatch(options.id, options.groupId, records as KafkaRecord[]);
    const startedAt = performance.now();
    let error: unknown;
    try {
      await invoke(payload, ack);
    } catch (thrown) {
      error = thrown ?? new Error(`handler threw ${String(thrown)}`);
    }
    events.emit('handled', {
      records: records.length,
      durationMs: performance.now() - startedAt,
      failed: error !== undefined,
      ...(error === undefined ? {} : { error: messageOf(error) }),
    });
    return error;
  }

  private redeliver(records: readonly TopicPartitionOffset[], outcome: BatchOutcome): BatchOutcome {
    outcome.redeliver(records);
    return outcome;
  }

  private interrupt(records: readonly KafkaRecord[], outcome: BatchOutcome): Settled {
    outcome.redeliver(records);
    return 'interrupted';
  }

  private warnUnacknowledged(records: readonly KafkaRecord[]): void {
    for (const record of records)
      this.deps.logger.warn(
        `${this.deps.options.id}: ${describeRecords([record])} and after were not acknowledged; delivering them again`,
      );
  }
}

/** Every partition of the records was revoked or stopped: nothing of theirs is worth finishing. */
function everyAborted(records: readonly TopicPartitionOffset[], signals: PartitionSignals): boolean {
  return records.every((r) => signals(r.topic, r.partition).aborted);
}

/** The signal of the records' partitions: aborted as soon as one of them is. */
function signalOf(records: readonly TopicPartitionOffset[], signals: PartitionSignals): AbortSignal {
  const distinct = new Set<AbortSignal>();
  for (const r of records) distinct.add(signals(r.topic, r.partition));
  return distinct.size === 1 ? distinct.values().next().value! : AbortSignal.any([...distinct]);
}

/** Records of `these` that come before every record of `others` on their partition. */
function leadingOnTheirPartitions(
  these: readonly { raw: TopicPartitionOffset }[],
  others: readonly TopicPartitionOffset[],
): TopicPartitionOffset[] {
  const firstOther = new Map<string, number>();
  for (const r of others) {
    const key = partitionKey(r.topic, r.partition);
    if (!firstOther.has(key)) firstOther.set(key, r.offset);
  }
  return these
    .map((t) => t.raw)
    .filter((r) => r.offset < (firstOther.get(partitionKey(r.topic, r.partition)) ?? Infinity));
}

function rawOf(record: KafkaRecord): RawRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key ?? undefined,
    value: record.raw,
    size: record.size,
    timestamp: record.timestamp,
    headers: record.headerList.map(([name, value]) => ({ [name]: value })),
  };
}
