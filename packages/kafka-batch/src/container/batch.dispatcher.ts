import type { Clock } from '../common/clock';
import { withTimeout } from '../common/with-timeout';
import type { RawRecord } from '../interfaces/raw-record.interface';
import type { AssignedPartitions } from './assigned.partitions';
import type { PartitionState } from './partition.state';
import type { RetryGate } from './retry.gate';

/** The records of one batch and the partitions they come from; the partitions are busy until it ends. */
export interface DispatchedBatch {
  states: PartitionState[];
  records: RawRecord[];
  /** Their payload bytes, as the in-flight budget counted them. */
  bytes: number;
}

export interface DispatchLimits {
  maxPollRecords: number;
  concurrency: number;
}

/**
 * Starts batches from the buffered records of idle partitions: up to `concurrency` at once, each of
 * at most maxPollRecords, never two on one partition. Partitions take turns, so a busy partition
 * does not starve the others. A batch that ends frees its slot and dispatches the next at once,
 * not when consume() next returns.
 */
export class BatchDispatcher {
  private readonly running = new Map<Promise<void>, number>();
  private turn = 0;

  constructor(
    private readonly limits: DispatchLimits,
    private readonly partitions: AssignedPartitions,
    /** Runs a batch to its end; never rejects. */
    private readonly runBatch: (batch: DispatchedBatch) => Promise<void>,
    private readonly clock: Clock,
    /** False once the listener stops: batches running finish, no new one starts. */
    private readonly active: () => boolean,
    /** With retry topics: their records wait until due. */
    private readonly gate?: RetryGate,
  ) {}

  get runningCount(): number {
    return this.running.size;
  }

  /** Start time of the longest-running batch; undefined when none runs. */
  get oldestStartedAt(): number | undefined {
    let oldest: number | undefined;
    for (const startedAt of this.running.values())
      if (oldest === undefined || startedAt < oldest) oldest = startedAt;
    return oldest;
  }

  /** Waits for the batches of `states` (every batch when omitted), at most `timeoutMs`; false if some still run. */
  async awaitBatches(timeoutMs: number, states?: readonly PartitionState[]): Promise<boolean> {
    const runs = states ? states.flatMap((s) => (s.inFlight ? [s.inFlight] : [])) : [...this.running.keys()];
    if (runs.length === 0) return true;
    return !(await withTimeout(Promise.allSettled(runs), timeoutMs, this.clock)).timedOut;
  }

  dispatch(): void {
    const { concurrency, maxPollRecords } = this.limits;
    while (this.active() && this.running.size < concurrency) {
      const dispatchable = this.partitions.dispatchable();
      const ready = this.gate ? dispatchable.filter((state) => this.gate!.admits(state)) : dispatchable;
      if (ready.length === 0) return;
      // Spread the ready partitions over the free slots.
      const perBatch = Math.ceil(ready.length / (concurrency - this.running.size));
      const first = this.turn++ % ready.length;
      const batch: DispatchedBatch = { states: [], records: [], bytes: 0 };
      for (let i = 0; i < perBatch && batch.records.length < maxPollRecords; i++) {
        const state = ready[(first + i) % ready.length];
        state.busy = true;
        batch.states.push(state);
        const bufferedBytes = state.bufferedBytes;
        const admitted = this.gate?.admitted(state);
        for (const record of state.take(maxPollRecords - batch.records.length, admitted))
          batch.records.push(record);
        batch.bytes += bufferedBytes - state.bufferedBytes;
      }
      this.start(batch);
    }
  }

  private start(batch: DispatchedBatch): void {
    // The batch starts after the poll loop has asked for its next records: decoding and handling
    // then overlap the fetch on the libuv pool instead of delaying it.
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.runBatch(batch));
    this.running.set(run, this.clock.now());
    for (const state of batch.states) state.inFlight = run;
    void run.finally(() => {
      this.running.delete(run);
      this.dispatch();
    });
  }
}
