import { uniqueName } from '@org/testing';
import type { BenchDatabase } from './bench.database';
import { ConsumerProcess } from './consumer.process';
import type { E2eConfig } from './e2e.config';
import { LatencyHistogram } from './latency.histogram';
import { coresBetween, peakRssBetween } from './process.usage';
import type { Variant } from './variant';

export interface Point {
  at: number;
  value: number;
}

/**
 * A variant's consumer processes in one new group on one topic, added up: records done,
 * when the first and last were done, CPU, memory, latencies, and records done over time.
 */
export class ConsumerGroupRun {
  readonly groupId: string;
  readonly startedAt = Date.now();
  /** Records done by all processes, sampled at the interval. */
  readonly progress: Point[] = [];
  private readonly consumers: ConsumerProcess[];
  private readonly sampler: NodeJS.Timeout;

  constructor(
    readonly variant: Variant,
    topic: string,
    database: BenchDatabase,
    { sampleMs, flushMs, consumerNodeArgs }: Pick<E2eConfig, 'sampleMs' | 'flushMs' | 'consumerNodeArgs'>,
  ) {
    this.groupId = uniqueName(variant.key);
    const settings = {
      topic,
      groupId: this.groupId,
      batchSize: variant.batchSize,
      concurrency: variant.concurrency,
      flushMs,
      tickMs: sampleMs,
      delivery: variant.delivery ?? 'exactly-once',
    };
    this.consumers = Array.from(
      { length: variant.processes },
      () => new ConsumerProcess(variant.kind, settings, database.url, consumerNodeArgs),
    );
    this.sampler = setInterval(() => this.progress.push({ at: Date.now(), value: this.handled }), sampleMs);
  }

  async ready(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.ready));
  }

  get handled(): number {
    return this.consumers.reduce((sum, consumer) => sum + consumer.handled, 0);
  }

  /** When the first record was done, by any process. */
  get firstAt(): number | undefined {
    const times = this.consumers.flatMap((consumer) => consumer.firstAt ?? []);
    return times.length ? Math.min(...times) : undefined;
  }

  get lastAt(): number | undefined {
    const times = this.consumers.flatMap((consumer) => consumer.lastAt ?? []);
    return times.length ? Math.max(...times) : undefined;
  }

  get running(): boolean {
    return this.consumers.every((consumer) => consumer.running);
  }

  /** CPU of all processes together, in cores. */
  coresBetween(from: number, to: number): number | undefined {
    const cores = this.consumers.map((consumer) => coresBetween(consumer.usage, from, to));
    return cores.includes(undefined) ? undefined : cores.reduce((sum, c) => sum! + c!, 0);
  }

  /** The largest resident memory any one process reached. */
  peakRssBetween(from: number, to: number): number | undefined {
    const peaks = this.consumers.flatMap((consumer) => peakRssBetween(consumer.usage, from, to) ?? []);
    return peaks.length ? Math.max(...peaks) : undefined;
  }

  latencyBetween(from: number, to: number): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const consumer of this.consumers) histogram.add(consumer.latencyBetween(from, to).take());
    return histogram;
  }

  async stop(): Promise<void> {
    clearInterval(this.sampler);
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }
}
