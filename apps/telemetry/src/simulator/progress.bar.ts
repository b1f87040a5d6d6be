export interface ProgressState {
  sent: number;
  delivered: number;
  errors: number;
  elapsedMs: number;
  /** 0..1, or undefined when the run has no planned end. */
  fraction: number | undefined;
  burst: boolean;
}

const WIDTH = 28;

/**
 * Progress on stderr (stdout stays free for the summary): a bar redrawn in place on a terminal,
 * or a plain line every few seconds in logs and CI.
 */
export class ProgressBar {
  private lastDraw = 0;
  private lastSent = 0;
  private lastAt = 0;
  private rate = 0;

  constructor(
    private readonly style: 'bar' | 'lines' | 'off',
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(state: ProgressState): void {
    if (this.style === 'off') return;
    const interval = this.style === 'bar' ? 200 : 5_000;
    if (state.elapsedMs - this.lastDraw < interval) return;
    this.rate = ((state.sent - this.lastSent) * 1000) / Math.max(1, state.elapsedMs - this.lastAt);
    this.lastSent = state.sent;
    this.lastAt = state.elapsedMs;
    this.lastDraw = state.elapsedMs;
    const line = describe(state, this.rate);
    if (this.style === 'bar') this.out.write(`\r\x1b[2K${bar(state.fraction)} ${line}`);
    else this.out.write(`${line}\n`);
  }

  finish(): void {
    if (this.style === 'bar') this.out.write('\r\x1b[2K');
  }
}

function bar(fraction: number | undefined): string {
  if (fraction === undefined) return '';
  const filled = Math.round(Math.min(1, fraction) * WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${Math.floor(fraction * 100)}%`;
}

function describe(state: ProgressState, rate: number): string {
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  return (
    `sent ${n(state.sent)}  confirmed ${n(state.delivered)}  ${n(rate)}/s` +
    `${state.burst ? ' (burst)' : ''}  errors ${n(state.errors)}  ${(state.elapsedMs / 1000).toFixed(0)}s`
  );
}
