import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import type { ListenerContainer } from '../container/listener-container.interface';
import { KafkaListenerRegistry } from '../container/listener-container.registry';
import { KafkaLagMonitor } from '../lag/lag.monitor';
import { KAFKA_BATCH_CONSOLE_OPTIONS, ResolvedConsoleOptions } from './console.options';

const LAST_ERRORS = 10;

export interface ListenerCounts {
  /** Records handed to the handler (retries count again). */
  records: number;
  failedInvocations: number;
  deadLettered: number;
  retried: number;
  deadLetterFailures: number;
}

/** One point of a sparkline. */
export interface Sample {
  at: number;
  /** Records per second handed to the handler since the sample before. */
  throughput: number;
  totalLag: number | undefined;
  maxLagSeconds: number | undefined;
  /** Lag in records per `topic/partition` held here. */
  partitions: Record<string, number>;
}

interface Recorded {
  counts: ListenerCounts;
  lastErrors: { at: number; message: string }[];
  history: Sample[];
  recordsAtLastSample: number;
}

/**
 * What the console shows beyond a listener's state: counts from its events, its last errors, and a
 * sample every `sampleIntervalMs` for the sparklines. It only listens; nothing on the record path
 * waits for it.
 */
@Injectable()
export class ConsoleRecorder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly recorded = new Map<string, Recorded>();
  private readonly unsubscribe: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: KafkaListenerRegistry,
    @Inject(KAFKA_BATCH_CONSOLE_OPTIONS) private readonly options: ResolvedConsoleOptions,
    @Optional() private readonly lag?: KafkaLagMonitor,
  ) {}

  onApplicationBootstrap(): void {
    for (const container of this.registry.all()) this.watch(container);
    this.unsubscribe.push(this.registry.onRegister((container) => this.watch(container)));
    this.timer = setInterval(() => this.sample(), this.options.sampleIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    for (const off of this.unsubscribe.splice(0)) off();
  }

  of(listenerId: string): Recorded {
    let recorded = this.recorded.get(listenerId);
    if (!recorded) {
      recorded = {
        counts: { records: 0, failedInvocations: 0, deadLettered: 0, retried: 0, deadLetterFailures: 0 },
        lastErrors: [],
        history: [],
        recordsAtLastSample: 0,
      };
      this.recorded.set(listenerId, recorded);
    }
    return recorded;
  }

  /** Takes a sample of every listener now (the timer does it every sampleIntervalMs). */
  sample(now = Date.now()): void {
    const keepFrom = now - this.options.historyMinutes * 60_000;
    for (const container of this.registry.all()) {
      const recorded = this.of(container.options.id);
      const previous = recorded.history.at(-1);
      const seconds = previous ? (now - previous.at) / 1000 : this.options.sampleIntervalMs / 1000;
      const lag = this.lag?.snapshot(container.options.id);
      const partitions: Record<string, number> = {};
      for (const p of lag?.partitions ?? []) if (p.assigned) partitions[`${p.topic}/${p.partition}`] = p.lag;
      recorded.history.push({
        at: now,
        throughput: Math.round(
          (recorded.counts.records - recorded.recordsAtLastSample) / Math.max(seconds, 0.001),
        ),
        totalLag: lag?.sampledAt === undefined ? undefined : lag.totalLag,
        maxLagSeconds: lag?.sampledAt === undefined ? undefined : lag.maxLagSeconds,
        partitions,
      });
      recorded.recordsAtLastSample = recorded.counts.records;
      while (recorded.history.length > 0 && recorded.history[0].at < keepFrom) recorded.history.shift();
    }
  }

  private watch(container: ListenerContainer): void {
    const recorded = this.of(container.options.id);
    const { counts } = recorded;
    const error = (message: string) => {
      recorded.lastErrors.unshift({ at: Date.now(), message });
      recorded.lastErrors.length = Math.min(recorded.lastErrors.length, LAST_ERRORS);
    };
    this.unsubscribe.push(
      container.on('handled', ({ records, failed, error: message }) => {
        counts.records += records;
        if (!failed) return;
        counts.failedInvocations++;
        error(`handler failed on ${records} record(s): ${message ?? 'unknown error'}`);
      }),
      container.on('deadLettered', ({ records }) => (counts.deadLettered += records)),
      container.on('retried', ({ records }) => (counts.retried += records)),
      container.on('deadLetterFailed', ({ topic, records }) => {
        counts.deadLetterFailures += records;
        error(`${records} dead letter(s) of ${topic} not taken by the broker; published again later`);
      }),
      container.on('fatal', ({ reason }) => error(`fatal: ${reason}`)),
    );
  }
}
