import type { Clock } from '../common/clock';
import { dueAtOf, RetryTopics } from '../failure/retry-topics';
import type { RawRecord } from '../interfaces/raw-record.interface';
import type { PartitionSeeker } from './partition.seeker';
import type { PartitionState } from './partition.state';

/**
 * Holds a retry topic's records until they are due. A partition whose next record is not due is
 * paused in the client until it is, and its buffer dropped and fetched again then: nothing polls
 * for it meanwhile, and the other partitions (its source topic's too) go on.
 */
export class RetryGate {
  constructor(
    private readonly retryTopics: Pick<RetryTopics, 'isRetryTopic'>,
    private readonly seeker: Pick<PartitionSeeker, 'redeliver'>,
    private readonly clock: Clock,
  ) {}

  /** False, the partition paused until its first record is due, when that is later. */
  admits(state: PartitionState): boolean {
    if (!this.retryTopics.isRetryTopic(state.topic)) return true;
    const first = state.peek();
    const waitMs = first ? this.waitFor(first) : 0;
    if (waitMs <= 0) return true;
    this.seeker.redeliver(state, first!.offset, waitMs, 'retry-delay');
    return false;
  }

  /** What a batch may take of the partition: up to its first record not due yet. */
  admitted(state: PartitionState): ((raw: RawRecord) => boolean) | undefined {
    return this.retryTopics.isRetryTopic(state.topic) ? (raw) => this.waitFor(raw) <= 0 : undefined;
  }

  private waitFor(raw: RawRecord): number {
    const dueAt = dueAtOf(raw);
    return dueAt === undefined ? 0 : dueAt - this.clock.now();
  }
}
