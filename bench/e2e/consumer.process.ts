import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ConsumerSettings, consumerEnv } from './consumers/consumer.settings';
import { LatencyHistogram } from './latency.histogram';
import { readUsage, UsageSample } from './process.usage';
import { parseTick, ProgressTick, READY_LINE } from './progress.protocol';

/** The consumers under test, each a script in consumers/ compiled next to this file. */
export type ConsumerKind =
  'bare-loop' | 'naive-per-message' | 'naive-per-message-transport' | 'naive-buffered' | 'batch-listener';

const STOP_TIMEOUT_MS = 20_000;

/**
 * One consumer under test in its own process: what it reports on stdout (progress, latencies)
 * and what /proc says about its CPU and memory, sampled at the progress interval.
 */
export class ConsumerProcess {
  readonly ticks: ProgressTick[] = [];
  readonly usage: UsageSample[] = [];
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;
  private readonly exited: Promise<unknown>;
  private readonly sampler: NodeJS.Timeout;
  private stopping = false;
  private stderr = '';

  constructor(kind: ConsumerKind, settings: ConsumerSettings, databaseUrl: string, nodeArgs: string[]) {
    this.child = spawn(process.execPath, [...nodeArgs, join(__dirname, 'consumers', `${kind}.consumer.js`)], {
      env: { ...process.env, ...consumerEnv(settings), DATABASE_URL: databaseUrl, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = once(this.child, 'exit');
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk).slice(-4_000)));
    let markReady!: () => void;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      this.exited.then(() =>
        reject(new Error(`${kind} consumer exited before it was ready:\n${this.stderr}`)),
      );
    });
    let pending = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line === READY_LINE) markReady();
        const tick = parseTick(line);
        if (tick) this.ticks.push(tick);
      }
    });
    this.exited.then(() => {
      if (!this.stopping) console.error(`${kind} consumer exited unexpectedly:\n${this.stderr}`);
    });
    this.sampler = setInterval(() => {
      const sample = this.child.pid === undefined ? undefined : readUsage(this.child.pid);
      if (sample) this.usage.push(sample);
    }, settings.tickMs);
  }

  get handled(): number {
    return this.ticks.at(-1)?.handled ?? 0;
  }

  get firstAt(): number | undefined {
    return this.ticks.at(-1)?.firstAt ?? undefined;
  }

  get lastAt(): number | undefined {
    return this.ticks.at(-1)?.lastAt ?? undefined;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** End-to-end latencies of the records done in [from, to]. */
  latencyBetween(from: number, to: number): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const tick of this.ticks) if (tick.at >= from && tick.at <= to) histogram.add(tick.latency);
    return histogram;
  }

  /** SIGTERM, as an orchestrator stops a pod; SIGKILL when it does not end in time. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sampler);
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
