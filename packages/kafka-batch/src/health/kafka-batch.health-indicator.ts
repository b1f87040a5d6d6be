import { Injectable } from '@nestjs/common';
import { describePartition } from '../common/topic-partition';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { KafkaListenerRegistry } from '../container/listener-container.registry';
import type { ListenerContainer } from '../container/listener-container.interface';
import type { ListenerLag } from '../lag/lag.interfaces';
import { KafkaLagMonitor } from '../lag/lag.monitor';
import { assessLiveness } from './listener.liveness';
import { assessReadiness, ReadinessOptions } from './listener.readiness';

export interface ListenerSelection {
  /** Listener ids to check. Default: every listener. */
  listeners?: string[];
}

/** A sample this many intervals old means the broker stopped answering the monitor. */
const STALE_SAMPLE_INTERVALS = 3;

/**
 * Terminus indicators for Kubernetes probes: `isAlive` for the liveness probe, `isReady` for the
 * readiness probe. Each reports every listener's state, partitions and lag, so a failing probe
 * explains itself.
 */
@Injectable()
export class KafkaBatchHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly registry: KafkaListenerRegistry,
    private readonly monitor: KafkaLagMonitor,
  ) {}

  isAlive(key = 'kafka', options: ListenerSelection = {}): HealthIndicatorResult {
    const now = Date.now();
    const listeners = Object.fromEntries(
      this.select(options).map((c) => [
        c.options.id,
        { ...assessLiveness(c, now), paused: c.paused, partitions: describePartitions(c) },
      ]),
    );
    const alive = Object.values(listeners).every((l) => l.alive);
    const indicator = this.indicators.check(key);
    return alive ? indicator.up({ listeners }) : indicator.down({ listeners });
  }

  isReady(key = 'kafka', options: ReadinessOptions & ListenerSelection = {}): HealthIndicatorResult {
    const now = Date.now();
    const { enabled, intervalMs } = this.monitor.options;
    const monitorView = { enabled, staleAfterMs: STALE_SAMPLE_INTERVALS * intervalMs + 10_000 };
    const listeners = Object.fromEntries(
      this.select(options).map((c) => {
        const lag = this.monitor.snapshot(c.options.id);
        return [
          c.options.id,
          {
            ...assessReadiness(c, lag, monitorView, options, now),
            paused: c.paused,
            partitions: describePartitions(c),
            ...(lag && { lag: describeLag(lag) }),
          },
        ];
      }),
    );
    const ready = Object.values(listeners).every((l) => l.ready);
    const indicator = this.indicators.check(key);
    return ready ? indicator.up({ listeners }) : indicator.down({ listeners });
  }

  private select({ listeners }: ListenerSelection): ListenerContainer[] {
    return listeners ? listeners.map((id) => this.registry.get(id)) : this.registry.all();
  }
}

function describePartitions(container: ListenerContainer): string[] {
  return container.assignment.map(describePartition);
}

function describeLag(lag: ListenerLag) {
  return {
    group: lag.groupId,
    status: lag.status,
    total: lag.totalLag,
    maxSeconds: Number(lag.maxLagSeconds.toFixed(3)),
    recordsPerSecond: Number(lag.consumeRate.toFixed(1)),
    sampledAt: lag.sampledAt === undefined ? undefined : new Date(lag.sampledAt).toISOString(),
    partitions: Object.fromEntries(
      lag.partitions
        .filter((p) => p.assigned)
        .map((p) => [
          describePartition(p),
          {
            lag: p.lag,
            seconds: p.lagSeconds === undefined ? null : Number(p.lagSeconds.toFixed(3)),
            status: p.status,
          },
        ]),
    ),
  };
}
