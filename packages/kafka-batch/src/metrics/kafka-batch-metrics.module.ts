import { DynamicModule, Module } from '@nestjs/common';
import { KAFKA_BATCH_METRICS_OPTIONS, KafkaBatchMetricsOptions } from './kafka-batch-metrics.options';
import { KafkaBatchMetrics } from './kafka-batch.metrics';

/**
 * Registers the listeners' Prometheus metrics (`KafkaBatchMetricsModule.forRoot()`); serve them
 * from your own `/metrics` route with prom-client's `register.metrics()`. Needs KafkaBatchModule
 * registered globally (the default of `forRoot`).
 */
@Module({})
export class KafkaBatchMetricsModule {
  static forRoot(options: KafkaBatchMetricsOptions = {}): DynamicModule {
    return {
      module: KafkaBatchMetricsModule,
      providers: [{ provide: KAFKA_BATCH_METRICS_OPTIONS, useValue: options }, KafkaBatchMetrics],
      exports: [KafkaBatchMetrics],
    };
  }
}
