import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { KafkaBatchModule } from '../../../src/kafka-batch.module';
import { KafkaBatchMetricsModule } from '../../../src/metrics/kafka-batch-metrics.module';
import { MemoryLogger } from '../fakes/listener.harness';

const configuredRegistry = new Registry();

@Injectable()
class MetricsConfig {
  readonly prefix = 'telemetry_kafka_';
  readonly registry = configuredRegistry;
}

@Module({ providers: [MetricsConfig], exports: [MetricsConfig] })
class MetricsConfigModule {}

async function metricNames(metrics: ReturnType<typeof KafkaBatchMetricsModule.forRoot>, registry: Registry) {
  const app = await Test.createTestingModule({
    imports: [
      MetricsConfigModule,
      KafkaBatchModule.forRoot({ brokers: 'unused:9092', lag: { enabled: false } }),
      metrics,
    ],
  })
    .setLogger(new MemoryLogger())
    .compile();
  await app.init();
  const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
  await app.close();
  return names;
}

describe('KafkaBatchMetricsModule', () => {
  it('forRootAsync: prefix and registry from an injected configuration provider', async () => {
    const names = await metricNames(
      KafkaBatchMetricsModule.forRootAsync({
        imports: [MetricsConfigModule],
        inject: [MetricsConfig],
        useFactory: (config: MetricsConfig) => ({ prefix: config.prefix, registry: config.registry }),
      }),
      configuredRegistry,
    );
    expect(names).toContain('telemetry_kafka_lag_records');
    expect(names.every((name) => name.startsWith('telemetry_kafka_'))).toBe(true);
  });

  it('forRoot: the options as given, none needed', async () => {
    const registry = new Registry();
    const names = await metricNames(KafkaBatchMetricsModule.forRoot({ registry, prefix: 'p_' }), registry);
    expect(names).toContain('p_lag_records');
  });
});
