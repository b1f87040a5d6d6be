import { Logger } from '@nestjs/common';
import { partitionKey } from '../client/rdkafka.types';
import { DeadLetter, DeadLetterPublisher } from '../failure/dead-letter.publisher';
import { BatchListenerFailedError, retryDelayMs } from '../failure/retry.policy';
import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { Acknowledgment, KafkaBatch, KafkaRecord } from '../interfaces/kafka-record.interface';
import type { RawRecord } from '../interfaces/raw-record.interface';
import { BatchAcknowledgment } from './batch.acknowledgment';
import { createBatch } from './kafka-batch';
import type { ListenerEvents } from '../container/listener.events';
import type { PartitionState } from '../container/partition.state';
import { RecordDecoder } from '../records/record.decoder';

/** The user's method behind Nest's context (guards, interceptors, pipes, filters). */
export type ListenerInvoker = (payload: KafkaBatch | KafkaRecord, ack: Acknowledgment) => Promise<unknown>;

export interface Redelivery {
  offset: number;
  backoffMs: number;
}

export interface ProcessorHooks {
  /** False once the partition is being revoked or the container stops: no further attempts. */
  isActive(state: PartitionState): boolean;
  sleep(ms: number): Promise<void>;
}

const DEAD_LETTER_RETRY_MS = 1_000;

/**
 * Handles one dispatched batch: decode, dead-letter what cannot be decoded, invoke the handler
 * with retries, settle acknowledgements. Marks done records in the partitions' trackers and
 * returns, per partition, where redelivery must start (nack, missing ack, interrupted retry).
 */
export class BatchProcessor {
  private readonly decoder: RecordDecoder;

  constructor(
    private readonly options: ResolvedListenerOptions,
    private readonly invoke: ListenerInvoker,
    private readonly deadLetters: DeadLetterPublisher | undefined,
    private readonly hooks: ProcessorHooks,
    private readonly events: ListenerEvents,
    private readonly logger: Logger,
  ) {
    this.decoder = new RecordDecoder(options);
  }

  async process(
    states: Map<string, PartitionState>,
    raws: RawRecord[],
  ): Promise<Map<PartitionState, Redelivery>> {
    const redeliveries = new Map<PartitionState, Redelivery>();
    const { records, undecodable } = await this.decoder.decode(raws);
    if (undecodable.length > 0) {
      const published = await this.deadLetter(
        states,
        undecodable.map(({ raw, reason }) => ({ raw, reason, attempts: 0 })),
      );
      if (!published) return this.redeliverAll(states, raws, redeliveries);
    }
    if (this.options.ackMode === 'record') {
      for (let i = 0; i < records.length; i++) {
        if (i > 0 && !this.allActive(states, [records[i]]))
          return this.redeliverAll(states, records.slice(i), redeliveries);
        const stopped = await this.handle(states, [records[i]], redeliveries);
        if (stopped) return this.redeliverAll(states, records.slice(i + 1), redeliveries);
      }
    } else {
      await this.handle(states, records, redeliveries);
    }
    return redeliveries;
  }

  /**
   * Invokes the handler until the records are settled; true when interrupted (stop, revoke, or a
   * transient failure that redelivers them later). `attempts` is what this call may spend;
   * `spent` counts invocations a bisected parent already made, for the dead-letter headers.
   */
  private async handle(
    states: Map<string, PartitionState>,
    records: KafkaRecord[],
    redeliveries: Map<PartitionState, Redelivery>,
    attempts = this.options.retry.attempts,
    spent = 0,
  ): Promise<boolean> {
    let remaining = records;
    let attempt = 0;
    let failingOffsetKey = '';
    while (remaining.length > 0) {
      // Stop and revoke wait for dispatched batches, so a first attempt always runs: skipping it
      // would leave records that were dead-lettered just before it to be dead-lettered again.
      // Only retries are cut short.
      if (attempt > 0 && !this.allActive(states, remaining)) {
        this.redeliverAll(states, remaining, redeliveries);
        return true;
      }
      const ack = new BatchAcknowledgment();
      const startedAt = performance.now();
      try {
        await this.invoke(this.payload(remaining), ack);
        this.events.emit('handled', {
          records: remaining.length,
          durationMs: performance.now() - startedAt,
          failed: false,
        });
        this.settle(states, remaining, ack, redeliveries);
        return false;
      } catch (error) {
        this.events.emit('handled', {
          records: remaining.length,
          durationMs: performance.now() - startedAt,
          failed: true,
        });
        remaining = this.completeAcknowledged(states, remaining, ack);
        const failedIndex = this.failedIndex(error, remaining);
        if (failedIndex > 0) {
          this.complete(states, remaining.slice(0, failedIndex));
          remaining = remaining.slice(failedIndex);
        }
        if (remaining.length === 0) return false;
        if (this.options.retry.transient(error)) {
          this.backOffTransient(states, remaining, redeliveries, error);
          return true;
        }
        const head = remaining[0];
        const key = `${head.topic}/${head.partition}/${head.offset}/${failedIndex >= 0}`;
        attempt = key === failingOffsetKey ? attempt + 1 : 1;
        failingOffsetKey = key;
        const failing = failedIndex >= 0 ? remaining.slice(0, 1) : remaining;
        if (attempt < attempts) {
          const delay = retryDelayMs(this.options.retry, attempt);
          this.logger.warn(
            `${this.options.id}: handler failed on ${describe(failing)} (attempt ${attempt}/${attempts}), retrying in ${delay} ms: ${message(error)}`,
          );
          await this.hooks.sleep(delay);
          continue;
        }
        if (failing.length > 1 && this.options.retry.bisect) {
          this.logger.warn(
            `${this.options.id}: handler failed on ${describe(failing)} after ${spent + attempt} attempts; bisecting to find the failing records: ${message(error)}`,
          );
          const half = Math.ceil(failing.length / 2);
          const [first, second] = [failing.slice(0, half), failing.slice(half)];
          if (await this.handle(states, first, redeliveries, 1, spent + attempt)) {
            this.redeliverAll(states, second, redeliveries);
            return true;
          }
          return this.handle(states, second, redeliveries, 1, spent + attempt);
        }
        this.logger.error(
          `${this.options.id}: handler failed on ${describe(failing)} after ${spent + attempt} attempts: ${message(error)}`,
        );
        const letters = failing.map((r) => ({
          raw: rawOf(r),
          reason: asError(error),
          attempts: spent + attempt,
        }));
        const published = await this.deadLetter(states, letters);
        if (!published) {
          this.redeliverAll(states, remaining, redeliveries);
          return true;
        }
        remaining = remaining.slice(failing.length);
        attempt = 0;
        failingOffsetKey = '';
      }
    }
    return false;
  }

  private payload(records: KafkaRecord[]): KafkaBatch | KafkaRecord {
    return this.options.ackMode === 'record'
      ? records[0]
      : createBatch(this.options.id, this.options.groupId, records);
  }

  /**
   * An outage, not bad records: deliver them again after a backoff that grows with the failures in
   * a row on the partition. The partition pauses meanwhile instead of spinning, and its offset
   * stays where it is.
   */
  private backOffTransient(
    states: Map<string, PartitionState>,
    records: KafkaRecord[],
    redeliveries: Map<PartitionState, Redelivery>,
    error: unknown,
  ): void {
    for (const state of this.statesOf(states, records)) {
      state.transientFailures++;
      const first = records.find((r) => r.topic === state.topic && r.partition === state.partition)!;
      const backoffMs = retryDelayMs(this.options.retry, state.transientFailures);
      redeliveries.set(state, { offset: first.offset, backoffMs });
      this.logger.warn(
        `${this.options.id}: transient failure on ${state.topic}[${state.partition}]@${first.offset} (${state.transientFailures} in a row, not counted as an attempt), delivering again in ${backoffMs} ms: ${message(error)}`,
      );
    }
  }

  /** After a successful invocation: what was acknowledged is done, the rest is redelivered. */
  private settle(
    states: Map<string, PartitionState>,
    records: KafkaRecord[],
    ack: BatchAcknowledgment,
    redeliveries: Map<PartitionState, Redelivery>,
  ): void {
    const acknowledgeAll = ack.all || this.options.ackMode !== 'manual';
    for (const [key, recordsOfPartition] of groupByPartition(records)) {
      const state = states.get(key)!;
      state.transientFailures = 0;
      const nack = ack.nacks.get(key);
      const through = acknowledgeAll ? Infinity : (ack.through.get(key) ?? -1);
      const doneBelow = nack ? Math.min(nack.offset, through + 1) : through + 1;
      const firstNotDone = recordsOfPartition.find((r) => r.offset >= doneBelow);
      for (const r of recordsOfPartition) if (r.offset < doneBelow) state.tracker.complete(r.offset);
      if (firstNotDone) {
        redeliveries.set(state, { offset: firstNotDone.offset, backoffMs: nack?.backoffMs ?? 0 });
        if (!nack)
          this.logger.warn(
            `${this.options.id}: ${describe([firstNotDone])} and after were not acknowledged; delivering them again`,
          );
      }
    }
  }

  /** Partial acknowledgements made before the handler threw still count. */
  private completeAcknowledged(
    states: Map<string, PartitionState>,
    records: KafkaRecord[],
    ack: BatchAcknowledgment,
  ): KafkaRecord[] {
    if (this.options.ackMode !== 'manual' || ack.through.size === 0) return records;
    const acknowledged = records.filter(
      (r) => r.offset <= (ack.through.get(partitionKey(r.topic, r.partition)) ?? -1),
    );
    this.complete(states, acknowledged);
    return records.filter((r) => !acknowledged.includes(r));
  }

  private failedIndex(error: unknown, records: KafkaRecord[]): number {
    if (!(error instanceof BatchListenerFailedError)) return -1;
    const { topic, partition, offset } = error.record;
    return records.findIndex((r) => r.topic === topic && r.partition === partition && r.offset === offset);
  }

  /** Publishes and marks the records done; false when interrupted before the broker confirmed. */
  private async deadLetter(states: Map<string, PartitionState>, letters: DeadLetter[]): Promise<boolean> {
    if (!this.deadLetters) {
      for (const { raw, reason } of letters) {
        this.logger.error(
          `${this.options.id}: skipping ${describeRaw(raw)} (dead-letter topic disabled): ${reason.message}`,
        );
      }
    }
    let pending = letters;
    while (this.deadLetters) {
      const results = await this.deadLetters.publish(pending);
      const failed: { letter: DeadLetter; error: Error }[] = [];
      results.forEach((result, i) => {
        const letter = pending[i];
        if (result.status === 'failed') failed.push({ letter, error: result.error });
        else if (result.status === 'published-without-value')
          this.logger.error(
            `${this.options.id}: dead-lettered ${describeRaw(letter.raw)} without its ${result.dropped.join(', ')} (${result.cause.message}): ${letter.reason.message}`,
          );
      });
      if (failed.length === 0) break;
      // Only the failed letters are published again: the confirmed ones must not appear twice.
      pending = failed.map(({ letter }) => letter);
      // The offset must not pass a record that reached neither the handler nor the dead-letter topic.
      this.logger.error(
        `${this.options.id}: cannot publish ${pending.length} record(s) to the dead-letter topic, partition held: ${failed[0].error.message}`,
      );
      if (
        !pending.every(({ raw }) => this.hooks.isActive(states.get(partitionKey(raw.topic, raw.partition))!))
      )
        return false;
      await this.hooks.sleep(DEAD_LETTER_RETRY_MS);
    }
    for (const { raw } of letters)
      states.get(partitionKey(raw.topic, raw.partition))!.tracker.complete(raw.offset);
    if (this.deadLetters)
      this.events.emit('deadLettered', { topic: letters[0].raw.topic, records: letters.length });
    return true;
  }

  private complete(states: Map<string, PartitionState>, records: KafkaRecord[]): void {
    for (const r of records) states.get(partitionKey(r.topic, r.partition))!.tracker.complete(r.offset);
  }

  private redeliverAll(
    states: Map<string, PartitionState>,
    records: { topic: string; partition: number; offset: number }[],
    redeliveries: Map<PartitionState, Redelivery>,
  ): Map<PartitionState, Redelivery> {
    for (const r of records) {
      const state = states.get(partitionKey(r.topic, r.partition))!;
      const existing = redeliveries.get(state);
      if (!existing || r.offset < existing.offset)
        redeliveries.set(state, { offset: r.offset, backoffMs: 0 });
    }
    return redeliveries;
  }

  private allActive(states: Map<string, PartitionState>, records: KafkaRecord[]): boolean {
    return [...this.statesOf(states, records)].every((s) => this.hooks.isActive(s));
  }

  private *statesOf(states: Map<string, PartitionState>, records: KafkaRecord[]): Iterable<PartitionState> {
    const seen = new Set<string>();
    for (const r of records) {
      const key = partitionKey(r.topic, r.partition);
      if (seen.has(key)) continue;
      seen.add(key);
      yield states.get(key)!;
    }
  }
}

function groupByPartition(records: KafkaRecord[]): Map<string, KafkaRecord[]> {
  const groups = new Map<string, KafkaRecord[]>();
  for (const r of records) {
    const key = partitionKey(r.topic, r.partition);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return groups;
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

function describe(records: KafkaRecord[]): string {
  const first = records[0];
  return records.length === 1
    ? `${first.topic}[${first.partition}]@${first.offset}`
    : `${records.length} records from ${first.topic}[${first.partition}]@${first.offset}`;
}

const describeRaw = (raw: RawRecord) => `${raw.topic}[${raw.partition}]@${raw.offset}`;
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
const message = (error: unknown): string => asError(error).message;
