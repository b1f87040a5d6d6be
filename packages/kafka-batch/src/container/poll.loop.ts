import type { ConsumerClient } from '../client/consumer.client';
import type { Clock } from '../common/clock';
import type { RawRecord } from '../interfaces/raw-record.interface';

/** A failed consume() (broker down, say) is retried after this pause rather than in a tight loop. */
const CONSUME_ERROR_PAUSE_MS = 100;

/**
 * Runs a listener's poll cycle until stopped, and the work that must not overlap a consume() call.
 * A call under way when a seek or an assignment takes effect may return records from before it and
 * from after it alike, and the two cannot be told apart: such work is queued and runs between two
 * calls (at once while the loop is not running).
 */
export class PollLoop {
  private readonly queued: (() => Promise<void>)[] = [];
  private polling = false;
  private stopRequested = false;
  private loop: Promise<void> = Promise.resolve();
  private lastPoll = 0;

  constructor(
    private readonly consumer: Pick<ConsumerClient, 'consume'>,
    private readonly clock: Clock,
    /** Called when work is queued: a backpressure hold must not make it wait. */
    private readonly onQueued: () => void,
  ) {}

  /** When consume() last returned. */
  get lastPollAt(): number {
    return this.lastPoll;
  }

  /** Runs `cycle` until stop(); the returned promise rejects if a cycle throws. */
  start(cycle: () => Promise<void>): Promise<void> {
    this.lastPoll = this.clock.now();
    this.polling = true;
    this.stopRequested = false;
    this.loop = (async () => {
      try {
        while (!this.stopRequested) await cycle();
      } finally {
        this.polling = false;
        await this.runQueued();
      }
    })();
    return this.loop;
  }

  /** Ends the loop after the cycle under way. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Resolves when the loop has ended. */
  ended(): Promise<void> {
    return this.loop.catch(() => undefined);
  }

  /** `signal` cuts short the pause after a failed call. */
  async consume(max: number, signal: AbortSignal): Promise<RawRecord[]> {
    try {
      const records = await this.consumer.consume(max);
      this.lastPoll = this.clock.now();
      return records;
    } catch {
      // The client reported the error itself (a fatal one stops the listener).
      await this.clock.sleep(CONSUME_ERROR_PAUSE_MS, signal);
      return [];
    }
  }

  /** Runs `work` between two consume() calls, or now when the loop is not running. */
  betweenPolls<T>(work: () => Promise<T> | T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = async () => {
        try {
          resolve(await work());
        } catch (err) {
          reject(err as Error);
        }
      };
      if (!this.polling) return void run();
      this.queued.push(run);
      this.onQueued();
    });
  }

  async runQueued(): Promise<void> {
    while (this.queued.length > 0) await this.queued.shift()!();
  }
}
