import type { LoggerService } from '@nestjs/common';
import { BatchOutcome, PartitionOutcome, Redelivery } from '../batch/batch.outcome';
import type { BatchRunner } from '../batch/batch.runner';
import { describePartition, partitionKey } from '../common/topic-partition';
import { retryDelayMs } from '../failure/retry.policy';
import type { RetryOptions } from '../interfaces/batch-listener-options.interface';
import type { OffsetCommitter } from '../offsets/offset.committer';
import type { AssignedPartitions } from './assigned.partitions';
import type { Backpressure } from './backpressure';
import type { DispatchedBatch } from './batch.dispatcher';
import type { PartitionState } from './partition.state';
import type { PartitionSeeker } from './partition.seeker';

/** A batch that failed outside the handler (a bug, a lost client) is delivered again after this. */
const CRASHED_BATCH_BACKOFF_MS = 1_000;

export interface OutcomeApplierDeps {
  listenerId: string;
  retry: RetryOptions;
  runner: Pick<BatchRunner, 'run'>;
  partitions: AssignedPartitions;
  backpressure: Pick<Backpressure, 'release' | 'afterPoll'>;
  seeker: Pick<PartitionSeeker, 'redeliver' | 'startAt' | 'applyPendingSeek'>;
  committer: Pick<OffsetCommitter, 'request'>;
  logger: LoggerService;
  /** False while the listener stops: paused partitions stay paused. */
  running(): boolean;
}

/**
 * Runs a dispatched batch and applies what it came to: done offsets are marked in their partitions'
 * trackers, partitions with records to deliver again are rewound (after their backoff), seeks asked
 * for meanwhile are applied, the budget is released and a commit is requested.
 */
export class BatchOutcomeApplier {
  constructor(private readonly deps: OutcomeApplierDeps) {}

  async run({ states, records, bytes }: DispatchedBatch): Promise<void> {
    const { runner, backpressure, committer, logger } = this.deps;
    const signals = new Map(states.map((s) => [partitionKey(s.topic, s.partition), s.signal]));
    let outcome: BatchOutcome;
    try {
      outcome = await runner.run(records, (topic, partition) => signals.get(partitionKey(topic, partition))!);
    } catch (err) {
      logger.error(`batch processing failed: ${(err as Error).stack ?? err}`);
      outcome = new BatchOutcome();
      outcome.redeliver(records, CRASHED_BATCH_BACKOFF_MS);
    }
    backpressure.release({ records: records.length, bytes });
    for (const state of states) this.apply(state, outcome.of(state.topic, state.partition));
    committer.request();
    if (this.deps.running()) backpressure.afterPoll();
  }

  private apply(state: PartitionState, outcome: PartitionOutcome | undefined): void {
    state.busy = false;
    state.inFlight = undefined;
    // Lost meanwhile: its results are discarded. A revoke waits for them and commits them.
    if (!this.deps.partitions.holds(state)) return;
    for (const offset of outcome?.done ?? []) state.tracker.complete(offset);
    if (outcome?.succeeded) state.transientFailures = 0;
    if (state.revoking) return;
    const redelivery = outcome?.redelivery;
    if (redelivery && 'reposition' in redelivery) this.deps.seeker.startAt(state, redelivery.from);
    else if (redelivery)
      this.deps.seeker.redeliver(state, redelivery.from, this.backoffOf(state, redelivery));
    this.deps.seeker.applyPendingSeek(state);
  }

  /** An outage's redelivery waits longer with every transient failure in a row on the partition. */
  private backoffOf(state: PartitionState, redelivery: Exclude<Redelivery, { reposition: true }>): number {
    if (!('transient' in redelivery)) return redelivery.backoffMs;
    const backoffMs = retryDelayMs(this.deps.retry, ++state.transientFailures);
    this.deps.logger.warn(
      `${this.deps.listenerId}: transient failure on ${describePartition(state)}@${redelivery.from} (${state.transientFailures} in a row, not counted as an attempt), delivering again in ${backoffMs} ms: ${redelivery.cause}`,
    );
    return backoffMs;
  }
}
