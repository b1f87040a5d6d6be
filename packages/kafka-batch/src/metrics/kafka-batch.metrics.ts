import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge, Histogram, Metric, register as globalRegistry, Registry } from 'prom-client';
import { KafkaListenerRegistry } from '../container/listener-container.registry';
import type { ListenerContainer } from '../container/listener-container.interface';
import type { ListenerEventMap } from '../container/listener.events';
import type { PauseReason } from '../container/partition.state';
import { KafkaLagMonitor } from '../lag/lag.monitor';
import type { PartitionLag } from '../lag/lag.interfaces';
import type { LagStatus } from '../lag/lag-status';
import { KAFKA_BATCH_METRICS_OPTIONS, KafkaBatchMetricsOptions } from './kafka-batch-metrics.options';

const STATUSES: LagStatus[] = ['OK', 'WARN', 'STALL', 'STOP', 'REWIND'];
const PAUSE_REASONS: PauseReason[] = ['backpressure', 'backoff', 'requested', 'retry-delay'];
const BATCH_SIZE_BUCKETS = [1, 10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 50_000];
const SECONDS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

type Subscription = () => void;

/**
 * Prometheus metrics for every listener. Counters and histograms follow the containers' events
 * (one per handler invocation, commit or rebalance); gauges are read from the containers and the
 * lag monitor when Prometheus scrapes, so they cost nothing in between.
 */
@Injectable()
export class KafkaBatchMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly prefix: string;
  private readonly target: Registry;
  private readonly registered: Metric[] = [];
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly listeners: KafkaListenerRegistry,
    private readonly monitor: KafkaLagMonitor,
    @Inject(KAFKA_BATCH_METRICS_OPTIONS) options: KafkaBatchMetricsOptions,
  ) {
    this.prefix = options.prefix ?? 'kafka_batch_';
    this.target = options.registry ?? globalRegistry;
  }

  onApplicationBootstrap(): void {
    this.registerLagGauges();
    this.registerContainerGauges();
    this.registerEventMetrics();
  }

  /** Unregisters, so another application in the same process can register the same names. */
  onApplicationShutdown(): void {
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
    for (const metric of this.registered.splice(0)) this.target.removeSingleMetric(this.nameOf(metric));
  }

  private registerLagGauges(): void {
    const partitionLabels = ['listener', 'group', 'topic', 'partition'];
    const partitionGauge = (name: string, help: string, value: (p: PartitionLag) => number | undefined) =>
      this.gauge(name, help, partitionLabels, (gauge) => {
        for (const container of this.listeners.all()) {
          const lag = this.monitor.snapshot(container.options.id);
          for (const p of lag?.partitions ?? []) {
            const v = value(p);
            // Partitions held by other members are theirs to report; summing pods then gives the group.
            if (!p.assigned || v === undefined) continue;
            gauge.set(
              {
                listener: lag!.listenerId,
                group: lag!.groupId,
                topic: p.topic,
                partition: String(p.partition),
              },
              v,
            );
          }
        }
      });
    partitionGauge('lag_records', 'Records not yet committed (end offset - committed offset)', (p) => p.lag);
    partitionGauge('lag_seconds', 'Age of the oldest uncommitted record', (p) => p.lagSeconds);
    partitionGauge('committed_offset', "The group's committed offset", (p) => p.committedOffset);
    partitionGauge(
      'end_offset',
      'High watermark, or last stable offset under read_committed',
      (p) => p.endOffset,
    );
    partitionGauge(
      'consume_rate',
      'Committed records per second over the status window',
      (p) => p.consumeRate,
    );
    this.gauge(
      'lag_status',
      'Burrow status of the partitions a listener holds (1 = current)',
      ['listener', 'group', 'status'],
      (gauge) => {
        for (const container of this.listeners.all()) {
          const lag = this.monitor.snapshot(container.options.id);
          if (!lag) continue;
          for (const status of STATUSES)
            gauge.set(
              { listener: lag.listenerId, group: lag.groupId, status },
              lag.status === status ? 1 : 0,
            );
        }
      },
    );
  }

  private registerContainerGauges(): void {
    const perListener = (name: string, help: string, value: (c: ListenerContainer) => number) =>
      this.gauge(name, help, ['listener'], (gauge) => {
        for (const c of this.listeners.all()) gauge.set({ listener: c.options.id }, value(c));
      });
    perListener('listener_running', '1 while the listener runs, 0 otherwise', (c) =>
      c.state === 'running' ? 1 : 0,
    );
    perListener(
      'listener_paused',
      '1 while the listener is paused on request (registry.pause), 0 otherwise',
      (c) => (c.paused ? 1 : 0),
    );
    perListener('assigned_partitions', 'Partitions assigned to the listener', (c) => c.assignment.length);
    perListener('in_flight_records', 'Records fetched and not yet done', (c) => c.inFlightRecords);
    perListener(
      'in_flight_bytes',
      'Payload bytes of the records fetched and not yet done',
      (c) => c.inFlightBytes,
    );
    this.gauge('paused_partitions', 'Partitions paused, by reason', ['listener', 'reason'], (gauge) => {
      for (const c of this.listeners.all()) {
        const paused = c.pausedPartitions();
        for (const reason of PAUSE_REASONS)
          gauge.set(
            { listener: c.options.id, reason },
            paused.filter((p) => p.reasons.includes(reason)).length,
          );
      }
    });
  }

  private registerEventMetrics(): void {
    const consumed = this.counter(
      'records_consumed_total',
      'Records handed to the listener (retries count again)',
      ['listener'],
    );
    const failed = this.counter('records_failed_total', 'Records in handler invocations that threw', [
      'listener',
    ]);
    const deadLettered = this.counter(
      'records_dead_lettered_total',
      'Records published to the dead-letter topic',
      ['listener', 'topic'],
    );
    const deadLetteredWithoutValue = this.counter(
      'records_dead_lettered_without_value_total',
      'Records whose dead letter carries only their provenance (the record could never be published whole)',
      ['listener', 'topic'],
    );
    const retried = this.counter(
      'records_sent_to_retry_topic_total',
      'Records that failed their attempts and went on to a retry topic (retryTopics)',
      ['listener', 'topic', 'retry_topic'],
    );
    const deadLetterFailures = this.counter(
      'dead_letter_failures_total',
      'Dead letters the broker did not take (published again later; their partition is held meanwhile)',
      ['listener', 'topic'],
    );
    const batchSize = this.histogram(
      'batch_size_records',
      'Records per handler invocation',
      ['listener'],
      BATCH_SIZE_BUCKETS,
    );
    const handlerDuration = this.histogram(
      'handler_duration_seconds',
      'Handler invocation time',
      ['listener', 'outcome'],
      SECONDS_BUCKETS,
    );
    const commitLatency = this.histogram(
      'commit_latency_seconds',
      'Offset commit round trip, sent to broker answer',
      ['listener', 'outcome'],
      SECONDS_BUCKETS,
    );
    const rebalances = this.counter('rebalances_total', 'Partition assignment changes', ['listener', 'kind']);
    const fatal = this.counter(
      'fatal_errors_total',
      'Fatal client errors (fenced static member, authentication)',
      ['listener'],
    );
    const subscribe = (container: ListenerContainer) => {
      const listener = container.options.id;
      this.on(container, 'handled', ({ records, durationMs, failed: threw }) => {
        consumed.inc({ listener }, records);
        if (threw) failed.inc({ listener }, records);
        batchSize.observe({ listener }, records);
        handlerDuration.observe({ listener, outcome: threw ? 'failure' : 'success' }, durationMs / 1000);
      });
      this.on(container, 'deadLettered', ({ topic, records, withoutValue }) => {
        deadLettered.inc({ listener, topic }, records);
        if (withoutValue) deadLetteredWithoutValue.inc({ listener, topic }, records);
      });
      this.on(container, 'retried', ({ topic, retryTopic, records }) =>
        retried.inc({ listener, topic, retry_topic: retryTopic }, records),
      );
      this.on(container, 'deadLetterFailed', ({ topic, records }) =>
        deadLetterFailures.inc({ listener, topic }, records),
      );
      this.on(container, 'committed', ({ durationMs, failed: rejected }) =>
        commitLatency.observe({ listener, outcome: rejected ? 'failure' : 'success' }, durationMs / 1000),
      );
      this.on(container, 'rebalanced', ({ kind }) => rebalances.inc({ listener, kind }));
      this.on(container, 'fatal', () => fatal.inc({ listener }));
    };
    this.listeners.all().forEach(subscribe);
    // A KafkaBatchTransport registers its listener when the microservice starts, after bootstrap.
    this.subscriptions.push(this.listeners.onRegister(subscribe));
  }

  private on<E extends keyof ListenerEventMap>(
    container: ListenerContainer,
    event: E,
    handler: (...args: ListenerEventMap[E]) => void,
  ): void {
    this.subscriptions.push(container.on(event, handler));
  }

  private gauge(name: string, help: string, labelNames: string[], collect: (gauge: Gauge) => void): void {
    this.track(
      new Gauge({
        name: this.prefix + name,
        help,
        labelNames,
        registers: [this.target],
        collect() {
          this.reset();
          collect(this);
        },
      }),
    );
  }

  private counter(name: string, help: string, labelNames: string[]): Counter {
    return this.track(new Counter({ name: this.prefix + name, help, labelNames, registers: [this.target] }));
  }

  private histogram(name: string, help: string, labelNames: string[], buckets: number[]): Histogram {
    return this.track(
      new Histogram({ name: this.prefix + name, help, labelNames, buckets, registers: [this.target] }),
    );
  }

  private track<M extends Metric>(metric: M): M {
    this.registered.push(metric);
    return metric;
  }

  private nameOf(metric: Metric): string {
    return (metric as unknown as { name: string }).name;
  }
}
