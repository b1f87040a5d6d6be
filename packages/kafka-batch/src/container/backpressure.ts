import type { Clock } from '../common/clock';
import type { AssignedPartitions, BufferedAmount } from './assigned.partitions';

export interface BackpressureLimits {
  maxRecords: number;
  maxBytes: number;
  /** How long a full budget holds the poll loop before it pauses every partition. */
  holdMs: number;
}

/**
 * The in-flight budget: records and payload bytes fetched and not yet done. A full budget first
 * holds the poll loop: librdkafka keeps what it prefetched, and the first poll once there is room
 * returns at once. Pausing the partitions instead makes librdkafka drop that prefetch and fetch it
 * again on resume, with the pipeline idle meanwhile. Rebalance events and commit answers come only
 * with polls, so a budget still full after the hold (a slow or stuck handler) pauses every partition
 * and polling goes on; they resume once the budget has drained to half.
 */
export class Backpressure {
  private records = 0;
  private bytes = 0;
  private pausedAll = false;
  /** Ends the hold under way. */
  private endHold: (() => void) | undefined;

  constructor(
    private readonly limits: BackpressureLimits,
    private readonly partitions: AssignedPartitions,
    private readonly clock: Clock,
  ) {}

  get inFlightRecords(): number {
    return this.records;
  }

  get inFlightBytes(): number {
    return this.bytes;
  }

  add({ records, bytes }: BufferedAmount): void {
    this.records += records;
    this.bytes += bytes;
  }

  release({ records, bytes }: BufferedAmount): void {
    this.records = Math.max(0, this.records - records);
    this.bytes = Math.max(0, this.bytes - bytes);
    if (!this.full) this.wake();
  }

  /**
   * Before a poll: while the budget is full, waits (up to the hold) for room, running the queued
   * between-poll work meanwhile (a seek may free room); a budget still full pauses every partition,
   * and those assigned until it has drained.
   */
  async beforePoll(runQueued: () => Promise<void>, signal: AbortSignal): Promise<void> {
    if (!this.full || signal.aborted || this.pausedAll) return;
    const until = this.clock.now() + this.limits.holdMs;
    while (this.full && !signal.aborted && this.clock.now() < until) {
      await new Promise<void>((resolve) => {
        const cancel = this.clock.schedule(until - this.clock.now(), () => this.wake());
        this.endHold = () => {
          cancel();
          this.endHold = undefined;
          resolve();
        };
      });
      await runQueued();
    }
    if (!this.full || signal.aborted) return;
    this.pausedAll = true;
    this.partitions.pauseAll('backpressure');
  }

  /** After a poll: paused partitions resume at half, as each resume costs a refetch of their prefetch. */
  afterPoll(): void {
    if (!this.pausedAll || !this.drained) return;
    this.pausedAll = false;
    this.partitions.resumeAll('backpressure');
  }

  /** Ends a hold now: there is room, work was queued, or the listener stops. */
  wake(): void {
    this.endHold?.();
  }

  /** Starts afresh (a listener that starts again). */
  reset(): void {
    this.records = 0;
    this.bytes = 0;
    this.pausedAll = false;
    // A stop pauses everything for backpressure while it drains; a new start holds nothing back.
    this.partitions.resumeAll('backpressure');
  }

  private get full(): boolean {
    return this.records >= this.limits.maxRecords || this.bytes >= this.limits.maxBytes;
  }

  private get drained(): boolean {
    return this.records <= this.limits.maxRecords / 2 && this.bytes <= this.limits.maxBytes / 2;
  }
}
