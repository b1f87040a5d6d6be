import type { TopicPartition } from '../common/topic-partition';
import type { RawRecord } from '../interfaces/raw-record.interface';
import { PartitionOffsetTracker } from '../offsets/partition-offset.tracker';

/**
 * Why a partition is paused: the in-flight budget, a redelivery backoff, the application asked, or
 * a retry topic's next record is not due yet.
 */
export type PauseReason = 'backpressure' | 'backoff' | 'requested' | 'retry-delay';

/** Where a seek goes: an offset, either end, or the first record at or after a timestamp. */
export type SeekTarget = number | 'beginning' | 'end' | { timestamp: number };

/** What the container knows about one assigned partition. */
export class PartitionState implements TopicPartition {
  readonly tracker = new PartitionOffsetTracker();
  /** Aborted when the partition is revoked or the listener stops: the partition's waits end at once. */
  readonly signal: AbortSignal;
  private readonly revoked = new AbortController();
  private isRevoked = false;
  /** Fetched, not yet dispatched, in offset order; `head` is the first not taken. */
  private buffered: RawRecord[] = [];
  private head = 0;
  bufferedBytes = 0;
  /** In a batch right now: a partition is never in two batches at once. */
  busy = false;
  /** The listener's onPartitionsAssigned returned: batches may start. */
  ready = false;
  readonly pausedFor = new Set<PauseReason>();
  /** Transient failures in a row (database or network outage): the redelivery backoff grows with them. */
  transientFailures = 0;
  /** Seeks requested and not yet done: until then, fetched records come from the old position. */
  seeking = 0;
  /** Numbers the seeks: a retry of an older one must not undo a newer one. */
  seekGeneration = 0;
  /** A seek requested while the partition was busy, applied when its batch ends. */
  pendingSeek: SeekTarget | undefined;
  /** Ends a redelivery backoff early. */
  cancelBackoff: (() => void) | undefined;
  /** The batch this partition is in, while it runs. */
  inFlight: Promise<void> | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    stopped: AbortSignal,
  ) {
    this.signal = AbortSignal.any([this.revoked.signal, stopped]);
  }

  /** Read per fetched record: a field, not the signal's getter. */
  get revoking(): boolean {
    return this.isRevoked;
  }

  get dispatchable(): boolean {
    return (
      this.ready &&
      !this.busy &&
      !this.revoking &&
      !this.pausedFor.has('backoff') &&
      !this.pausedFor.has('requested') &&
      !this.pausedFor.has('retry-delay') &&
      this.pendingSeek === undefined &&
      this.bufferedCount > 0
    );
  }

  get bufferedCount(): number {
    return this.buffered.length - this.head;
  }

  /** Stops everything this partition waits for; its batch, if any, is left to finish. */
  revoke(): void {
    this.isRevoked = true;
    this.revoked.abort();
    this.cancelBackoff?.();
  }

  append(raw: RawRecord): void {
    this.buffered.push(raw);
    this.bufferedBytes += raw.size;
  }

  /** The first buffered record not taken yet. */
  peek(): RawRecord | undefined {
    return this.head < this.buffered.length ? this.buffered[this.head] : undefined;
  }

  /** Takes up to `max` buffered records for a batch; with `admit`, up to the first it refuses. */
  take(max: number, admit?: (raw: RawRecord) => boolean): RawRecord[] {
    let end = Math.min(this.buffered.length, this.head + max);
    if (admit)
      for (let i = this.head; i < end; i++)
        if (!admit(this.buffered[i])) {
          end = i;
          break;
        }
    const taken = this.buffered.slice(this.head, end);
    this.head = end;
    for (const raw of taken) this.bufferedBytes -= raw.size;
    if (this.head === this.buffered.length) {
      this.buffered = [];
      this.head = 0;
    } else if (this.head * 2 > this.buffered.length) {
      // Fetching goes on while batches are taken: without this the array would keep every record.
      this.buffered = this.buffered.slice(this.head);
      this.head = 0;
    }
    return taken;
  }

  /** Drops every buffered record (they will be fetched again); returns what was dropped. */
  dropBuffer(): { records: number; bytes: number } {
    const dropped = { records: this.bufferedCount, bytes: this.bufferedBytes };
    this.buffered = [];
    this.head = 0;
    this.bufferedBytes = 0;
    return dropped;
  }
}
