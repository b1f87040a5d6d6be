export interface LiveSample {
  seconds: number;
  produced: number;
  consumed: number;
  lag: number;
  deadLettered: number;
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');

/** One line per second on a terminal (redrawn in place), every 5 s in a log. */
export class LiveLine {
  private previous: LiveSample | undefined;
  private lastPrinted = -Infinity;
  private readonly tty = Boolean(process.stdout.isTTY);

  constructor(private readonly groupId: string) {}

  show(sample: LiveSample): void {
    const previous = this.previous ?? sample;
    const dt = Math.max(0.001, sample.seconds - previous.seconds);
    this.previous = sample;
    if (!this.tty && sample.seconds - this.lastPrinted < 5) return;
    this.lastPrinted = sample.seconds;
    const line =
      `${sample.seconds.toFixed(0).padStart(4)}s  produced ${n(sample.produced)} (${n((sample.produced - previous.produced) / dt)}/s)` +
      `  consumed ${n(sample.consumed)} (${n((sample.consumed - previous.consumed) / dt)}/s)` +
      `  lag ${this.groupId}=${n(sample.lag)}  DLQ ${n(sample.deadLettered)}`;
    process.stdout.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  end(): void {
    if (this.tty) process.stdout.write('\n');
  }
}
