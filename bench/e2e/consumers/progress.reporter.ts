import { LatencyHistogram } from '../latency.histogram';
import { formatTick, READY_LINE } from '../progress.protocol';

/**
 * The consumer side of the progress protocol: counts the records a consumer under test has
 * done and their end-to-end latencies, and reports them to the harness at a fixed interval.
 */
export class ProgressReporter {
  private handled = 0;
  private firstAt: number | null = null;
  private lastAt: number | null = null;
  private readonly latency = new LatencyHistogram();

  constructor(private readonly intervalMs: number) {}

  /** Says the consumer runs, and reports from now on until the process ends. */
  start(): void {
    process.stdout.write(`${READY_LINE}\n`);
    setInterval(() => this.report(), this.intervalMs).unref();
  }

  /** Records whose rows were just committed, by their produce timestamps (ms). */
  done(produceTimestamps: readonly (number | undefined)[]): void {
    const now = Date.now();
    for (const timestamp of produceTimestamps) {
      if (timestamp !== undefined) this.latency.record(now - timestamp);
    }
    this.count(produceTimestamps.length, now);
  }

  /** Records consumed without a write (the client ceiling): no latency to report. */
  count(records: number, now = Date.now()): void {
    if (records === 0) return;
    this.handled += records;
    this.firstAt ??= now;
    this.lastAt = now;
  }

  private report(): void {
    const tick = {
      at: Date.now(),
      handled: this.handled,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      latency: this.latency.take(),
    };
    process.stdout.write(`${formatTick(tick)}\n`);
  }
}
