import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  MemoryHealthIndicator,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { KafkaBatchHealthIndicator } from '@org/kafka-batch/health';
import { getHeapStatistics } from 'node:v8';

/** Above this share of V8's heap limit the process is about to die of it: better restarted now. */
const HEAP_LIVENESS_SHARE = 0.9;

/**
 * Kubernetes probes. Liveness holds only what a restart can fix; readiness holds the
 * dependencies without which this pod should get no work. The database is in readiness only:
 * a database outage must not restart every pod at once, which would fix nothing and add
 * rebalances to the outage.
 */
@Controller('health')
export class TelemetryHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
    private readonly kafka: KafkaBatchHealthIndicator,
  ) {}

  private readonly liveness: HealthIndicatorFunction[] = [
    () => this.kafka.isAlive('kafka'),
    () =>
      this.memory.checkHeap('heap', Math.floor(getHeapStatistics().heap_size_limit * HEAP_LIVENESS_SHARE)),
  ];

  private readonly readiness: HealthIndicatorFunction[] = [
    () => this.kafka.isReady('kafka'),
    () => this.database.pingCheck('database', { timeout: 2_000 }),
  ];

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check(this.liveness);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check(this.readiness);
  }
}
