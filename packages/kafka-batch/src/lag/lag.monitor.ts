import { IAdminClient, IsolationLevel } from '@confluentinc/kafka-javascript';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { KafkaClientFactory } from '../client/kafka-client.factory';
import { resolveLagOptions, ResolvedLagMonitorOptions } from '../config/lag-options.resolver';
import { KafkaListenerRegistry } from '../container/listener-container.registry';
import type { ListenerContainer } from '../container/listener-container.interface';
import type { KafkaBatchModuleOptions } from '../interfaces/kafka-batch-module-options.interface';
import { KAFKA_BATCH_MODULE_OPTIONS } from '../kafka-batch.module-definition';
import { GroupOffsetsSampler } from './group-offsets.sampler';
import type { ListenerLag } from './lag.interfaces';
import { ListenerLagTracker } from './listener-lag.tracker';

const MAX_REQUEST_TIMEOUT_MS = 10_000;
/** Partition lists and log-start offsets are re-read every this many samples, at most once a minute. */
const METADATA_REFRESH_SAMPLES = 12;
const MAX_METADATA_REFRESH_MS = 60_000;

/**
 * Samples every running listener's group on a timer, off the consumers' path: the admin client
 * has its own connections, and a slow or failing sample never delays a poll. Health and metrics
 * read the latest snapshot; nothing waits for a sample.
 */
@Injectable()
export class KafkaLagMonitor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly options: ResolvedLagMonitorOptions;
  private readonly trackers = new Map<string, ListenerLagTracker>();
  private admin: IAdminClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly registry: KafkaListenerRegistry,
    private readonly clients: KafkaClientFactory,
    @Inject(KAFKA_BATCH_MODULE_OPTIONS) private readonly moduleOptions: KafkaBatchModuleOptions,
  ) {
    this.options = resolveLagOptions(moduleOptions.lag);
  }

  /** The latest lag of a listener; undefined while the monitor is off or has not sampled it. */
  snapshot(listenerId: string): ListenerLag | undefined {
    return this.trackers.get(listenerId)?.snapshot;
  }

  /** Always scheduled when enabled: a KafkaBatchTransport registers its listener after bootstrap. */
  onApplicationBootstrap(): void {
    if (this.options.enabled) this.schedule();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.admin?.disconnect();
    this.admin = undefined;
  }

  /** Samples every running listener now (the timer does this every interval). */
  async sampleNow(): Promise<void> {
    const running = this.registry.all().filter((c) => c.state === 'running');
    await Promise.all(running.map((container) => this.trackerOf(container).sample()));
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.sampleNow().finally(() => {
        if (!this.stopped) this.schedule();
      });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private trackerOf(container: ListenerContainer): ListenerLagTracker {
    const { id, groupId, topics, topicPattern, autoOffsetReset, rdkafka } = container.options;
    let tracker = this.trackers.get(id);
    if (tracker) return tracker;
    const sampler = new GroupOffsetsSampler(
      this.adminClient(),
      (partitions, timeoutMs) => container.committedOffsets(partitions, timeoutMs),
      {
        subscription: topicPattern ?? topics,
        // librdkafka reads committed by default; its end offset is then the last stable offset.
        isolation:
          (rdkafka['isolation.level'] ?? this.moduleOptions.rdkafka?.['isolation.level']) ===
          'read_uncommitted'
            ? IsolationLevel.READ_UNCOMMITTED
            : IsolationLevel.READ_COMMITTED,
        requestTimeoutMs: Math.max(1_000, Math.min(this.options.intervalMs, MAX_REQUEST_TIMEOUT_MS)),
        metadataRefreshMs: Math.min(
          MAX_METADATA_REFRESH_MS,
          METADATA_REFRESH_SAMPLES * this.options.intervalMs,
        ),
      },
    );
    tracker = new ListenerLagTracker(
      {
        id,
        groupId,
        startsFromLogStart: autoOffsetReset === 'earliest',
        isAssigned: (topic, partition) => container.holds(topic, partition),
        isConsuming: (topic, partition) => container.holds(topic, partition) && container.pollLoopAlive(),
      },
      sampler,
      this.options.windowSize,
    );
    this.trackers.set(id, tracker);
    return tracker;
  }

  private adminClient(): IAdminClient {
    this.admin ??= this.clients.admin('lag');
    return this.admin;
  }
}
