import type { LoggerService } from '@nestjs/common';
import type { ConsumerClient, RebalanceEvent } from '../client/consumer.client';
import type { Clock } from '../common/clock';
import { describePartitions, TopicPartition } from '../common/topic-partition';
import type { AssignedPartitions, BufferedAmount } from '../container/assigned.partitions';
import type { BatchDispatcher } from '../container/batch.dispatcher';
import type { ListenerEvents } from '../container/listener.events';
import type { PartitionState } from '../container/partition.state';
import type { PollLoop } from '../container/poll.loop';
import type { OffsetTransactions } from '../exactly-once/offset.transactions';
import type { OffsetCommitter } from '../offsets/offset.committer';
import type { RebalanceNotifier } from './rebalance.notifier';

export interface RebalanceDeps {
  consumer: Pick<ConsumerClient, 'assign' | 'unassign'>;
  partitions: AssignedPartitions;
  dispatcher: Pick<BatchDispatcher, 'awaitBatches'>;
  poller: Pick<PollLoop, 'betweenPolls'>;
  committer: Pick<OffsetCommitter, 'flush'>;
  notifier: RebalanceNotifier;
  /** Exactly-once mode: where the database says assigned partitions are. */
  storedOffsets?: Pick<OffsetTransactions, 'restore'>;
  /** Moves a partition to where the database says it is, before its first batch. */
  startAt(state: PartitionState, offset: number): void;
  events: ListenerEvents;
  clock: Clock;
  logger: LoggerService;
  /** How long a revoke waits for the batches of its partitions. */
  shutdownTimeoutMs: number;
  /** Aborted when the listener stops; new partitions' signals follow it. */
  stopped(): AbortSignal;
  /** Buffered records of revoked partitions leave the in-flight budget. */
  dropped(amount: BufferedAmount): void;
  /** Assigned partitions are ready for batches. */
  ready(): void;
  /** The listener runs (not stopping): paused partitions can be resumed for their unassign. */
  running(): boolean;
}

/**
 * The listener's side of a rebalance, in Spring Kafka's order. Assigned: new partition states, the
 * assignment, a seek to the offsets stored in the database (exactly-once mode), then
 * onPartitionsAssigned, awaited before their first batch. Revoked: dispatching
 * stops, their batches finish (bounded), onPartitionsRevokedBeforeCommit, commit and wait for the
 * broker's answer, onPartitionsRevoked, then the unassign. Lost: nothing is committed, results of
 * batches still running are discarded, onPartitionsLost.
 */
export class RebalanceProtocol {
  private joinedAt: number | undefined;

  constructor(private readonly deps: RebalanceDeps) {}

  /** When the group first gave this consumer an assignment (possibly empty) since it started. */
  get joinedGroupAt(): number | undefined {
    return this.joinedAt;
  }

  restart(): void {
    this.joinedAt = undefined;
  }

  /**
   * Handles a rebalance event between two consume() calls: a call under way when partitions are
   * assigned could carry records of an earlier ownership of them. A revoke goes on from there
   * without holding up polling.
   */
  handle(event: RebalanceEvent): void {
    const { poller, logger } = this.deps;
    void poller
      .betweenPolls(() => {
        if (event.kind === 'assign') this.assign(event.partitions);
        else if (event.kind === 'revoke')
          this.revoke(event.partitions, event.lost).catch((err: Error) =>
            logger.error(`revoke failed: ${err.stack ?? err}`),
          );
        else logger.error(`rebalance error: ${event.message}`);
      })
      .catch((err: Error) => logger.error(`rebalance handling failed: ${err.stack ?? err}`));
  }

  private assign(assignment: readonly TopicPartition[]): void {
    const { consumer, partitions, notifier, events, logger, clock } = this.deps;
    const states = partitions.add(assignment, this.deps.stopped());
    consumer.assign(assignment);
    partitions.pauseAssigned(states);
    this.joinedAt ??= clock.now();
    logger.log(`assigned ${describePartitions(assignment)}`);
    events.emit('rebalanced', { kind: 'assigned', partitions: assignment.length });
    // Fetching starts at once; batches wait for the stored offsets and the hook, which may seek.
    void this.seekToStoredOffsets(states)
      .then(() => notifier.notify('onPartitionsAssigned', [...assignment]))
      .then(() => {
        for (const state of states) state.ready = true;
        this.deps.ready();
      });
  }

  private async seekToStoredOffsets(states: readonly PartitionState[]): Promise<void> {
    if (!this.deps.storedOffsets) return;
    const stored = await this.deps.storedOffsets.restore(states, this.deps.stopped());
    for (const { topic, partition, offset } of stored) {
      const state = this.deps.partitions.get(topic, partition);
      if (state && states.includes(state)) this.deps.startAt(state, offset);
    }
  }

  private async revoke(assignment: readonly TopicPartition[], lost: boolean): Promise<void> {
    const { consumer, partitions, committer, notifier, events, logger } = this.deps;
    const states = assignment
      .map(({ topic, partition }) => partitions.get(topic, partition))
      .filter((s): s is PartitionState => s !== undefined);
    for (const state of states) {
      state.revoke();
      this.deps.dropped(state.dropBuffer());
    }
    if (this.deps.running()) partitions.releaseForUnassign(states);
    if (lost) {
      partitions.remove(states);
      await notifier.notify('onPartitionsLost', [...assignment]);
    } else {
      await this.settle(states);
      await notifier.notify('onPartitionsRevokedBeforeCommit', [...assignment]);
      await committer.flush().catch((err: Error) => logger.warn(`commit on revoke failed: ${err.message}`));
      await notifier.notify(
        'onPartitionsRevoked',
        states.map(({ topic, partition, tracker }) => ({
          topic,
          partition,
          offset: tracker.confirmedOffset,
        })),
      );
      partitions.remove(states);
    }
    consumer.unassign(assignment);
    logger.log(`${lost ? 'lost' : 'revoked'} ${describePartitions(assignment)}`);
    events.emit('rebalanced', { kind: lost ? 'lost' : 'revoked', partitions: assignment.length });
  }

  /** Waits for the batches of the revoked partitions, at most shutdownTimeoutMs. */
  private async settle(states: readonly PartitionState[]): Promise<void> {
    if (!(await this.deps.dispatcher.awaitBatches(this.deps.shutdownTimeoutMs, states)))
      this.deps.logger.warn(
        `batches of revoked partitions still running after ${this.deps.shutdownTimeoutMs} ms; their records will be delivered again`,
      );
  }
}
