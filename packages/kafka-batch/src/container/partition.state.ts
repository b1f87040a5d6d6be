import type { RawRecord } from '../interfaces/raw-record.interface';
import { PartitionOffsetTracker } from '../offsets/partition-offset.tracker';

export type PauseReason = 'backpressure' | 'backoff';

/** What the container knows about one assigned partition. */
export class PartitionState {
  readonly tracker = new PartitionOffsetTracker();
  /** Fetched, not yet dispatched, in offset order. */
  buffer: RawRecord[] = [];
  bufferBytes = 0;
  /** In a batch right now: a partition is never in two batches at once. */
  busy = false;
  revoking = false;
  readonly pausedFor = new Set<PauseReason>();
  /** Transient failures in a row (database or network outage): the redelivery backoff grows with them. */
  transientFailures = 0;
  /** Seeks requested and not yet done: until then, fetched records come from the old position. */
  seeking = 0;
  /** Numbers the seeks: a retry of an older one must not undo a newer one. */
  seekGeneration = 0;
  backoffTimer: NodeJS.Timeout | undefined;
  /** The batch this partition is in, while it runs. */
  inFlight: Promise<void> | undefined;
  /** A seek requested while the partition was busy, applied when its batch ends. */
  pendingSeek: SeekTarget | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  get dispatchable(): boolean {
    return (
      !this.busy &&
      !this.revoking &&
      !this.pausedFor.has('backoff') &&
      this.buffer.length > 0 &&
      !this.pendingSeek
    );
  }

  /** Takes up to `max` buffered records for a batch. */
  take(max: number): RawRecord[] {
    const taken = this.buffer.length <= max ? this.buffer : this.buffer.slice(0, max);
    this.buffer = taken === this.buffer ? [] : this.buffer.slice(max);
    for (const raw of taken) this.bufferBytes -= raw.size;
    return taken;
  }

  /** Drops every buffered record (they will be fetched again); returns what was dropped. */
  dropBuffer(): { records: number; bytes: number } {
    const dropped = { records: this.buffer.length, bytes: this.bufferBytes };
    this.buffer = [];
    this.bufferBytes = 0;
    return dropped;
  }
}

/** Where a seek goes: an offset, either end, or the first record at or after a timestamp. */
export type SeekTarget = number | 'beginning' | 'end' | { timestamp: number };
