import type { LoggerService } from '@nestjs/common';
import type { ConsumerClient } from '../client/consumer.client';
import type { Clock } from '../common/clock';
import { describePartition } from '../common/topic-partition';
import type { AssignedPartitions, BufferedAmount } from './assigned.partitions';
import type { PartitionState, PauseReason, SeekTarget } from './partition.state';
import type { PollLoop } from './poll.loop';

const OFFSET_BEGINNING = -2;
const OFFSET_END = -1;
const SEEK_RETRY_MS = 1_000;

export interface SeekerDeps {
  consumer: Pick<ConsumerClient, 'seek' | 'offsetForTime'>;
  partitions: AssignedPartitions;
  poller: Pick<PollLoop, 'betweenPolls'>;
  clock: Clock;
  logger: LoggerService;
  /** Buffered records dropped by a reposition leave the in-flight budget. */
  dropped(amount: BufferedAmount): void;
  /** A backoff ended: the partition may take a batch again. */
  backoffEnded(): void;
}

/**
 * Moves partitions' fetch positions: redeliveries (a nack, a missing ack, an interrupted retry)
 * and the application's seeks. What is fetched until the move is done comes from the old position
 * and is dropped.
 */
export class PartitionSeeker {
  constructor(private readonly deps: SeekerDeps) {}

  /**
   * Rewinds a partition so `offset` and everything after it is fetched again, after the backoff
   * (a redelivery's, or a retry topic's delay), paused meanwhile for `reason`.
   */
  redeliver(
    state: PartitionState,
    offset: number,
    backoffMs: number,
    reason: Extract<PauseReason, 'backoff' | 'retry-delay'> = 'backoff',
  ): void {
    state.tracker.rewindTo(offset);
    this.deps.dropped(state.dropBuffer());
    if (backoffMs > 0) this.backOff(state, backoffMs, reason);
    this.move(state, offset);
  }

  /** The application's seek: now, or when the partition's batch ends. */
  seek(state: PartitionState, target: SeekTarget): void {
    state.pendingSeek = target;
    if (!state.busy) this.applyPendingSeek(state);
  }

  applyPendingSeek(state: PartitionState): void {
    const target = state.pendingSeek;
    if (target === undefined) return;
    state.pendingSeek = undefined;
    // An explicit seek moves the commit base: the next commit may go backwards (a replay).
    state.tracker.reset();
    this.deps.dropped(state.dropBuffer());
    this.move(state, target);
  }

  /** Exactly-once mode: the partition goes where the database says it is, and commits that. */
  startAt(state: PartitionState, offset: number): void {
    state.pendingSeek = undefined;
    state.tracker.startAt(offset);
    this.deps.dropped(state.dropBuffer());
    this.move(state, offset);
  }

  private backOff(state: PartitionState, backoffMs: number, reason: 'backoff' | 'retry-delay'): void {
    const { partitions, clock } = this.deps;
    partitions.pause(state, reason);
    state.cancelBackoff?.();
    const cancel = clock.schedule(backoffMs, () => {
      state.cancelBackoff = undefined;
      partitions.resume(state, reason);
      this.deps.backoffEnded();
    });
    state.cancelBackoff = () => {
      cancel();
      state.cancelBackoff = undefined;
    };
  }

  /**
   * A failed seek is tried again while the partition stays here and no newer seek replaced it: the
   * old position would skip what the tracker now expects.
   */
  private move(state: PartitionState, target: SeekTarget): void {
    state.seeking++;
    const generation = ++state.seekGeneration;
    const current = () =>
      this.deps.partitions.holds(state) && !state.signal.aborted && state.seekGeneration === generation;
    void this.moveUntilDone(state, target, current).finally(() => state.seeking--);
  }

  private async moveUntilDone(
    state: PartitionState,
    target: SeekTarget,
    current: () => boolean,
  ): Promise<void> {
    const { consumer, poller, clock, logger } = this.deps;
    while (current()) {
      try {
        const offset = await this.offsetOf(state, target);
        await poller.betweenPolls(() =>
          current() ? consumer.seek({ topic: state.topic, partition: state.partition, offset }) : undefined,
        );
        return;
      } catch (err) {
        if (!current()) return;
        logger.warn(
          `seek ${describePartition(state)} to ${describeTarget(target)} failed, trying again: ${(err as Error).message}`,
        );
        await clock.sleep(SEEK_RETRY_MS, state.signal);
      }
    }
  }

  private async offsetOf(state: PartitionState, target: SeekTarget): Promise<number> {
    if (target === 'beginning') return OFFSET_BEGINNING;
    if (target === 'end') return OFFSET_END;
    if (typeof target === 'number') return target;
    return this.deps.consumer.offsetForTime(state, target.timestamp);
  }
}

function describeTarget(target: SeekTarget): string {
  return typeof target === 'object' ? `timestamp ${target.timestamp}` : String(target);
}
