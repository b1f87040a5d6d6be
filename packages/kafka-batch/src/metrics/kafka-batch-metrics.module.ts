import { ConfigurableModuleBuilder, DynamicModule, Module } from '@nestjs/common';
import { KAFKA_BATCH_METRICS_OPTIONS, KafkaBatchMetricsOptions } from './kafka-batch-metrics.options';
import { KafkaBatchMetrics } from './kafka-batch.metrics';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } =
  new ConfigurableModuleBuilder<KafkaBatchMetricsOptions>().setClassMethodName('forRoot').build();

/**
 * Registers the listeners' Prometheus metrics: `KafkaBatchMetricsModule.forRoot()`, or
 * `.forRootAsync({ useFactory, inject })` for options from configuration; serve them from your
 * own `/metrics` route with prom-client's `register.metrics()`. Needs KafkaBatchModule registered
 * globally (the default of `forRoot`).
 */
@Module({
  providers: [{ provide: KAFKA_BATCH_METRICS_OPTIONS, useExisting: MODULE_OPTIONS_TOKEN }, KafkaBatchMetrics],
  exports: [KafkaBatchMetrics],
})
export class KafkaBatchMetricsModule extends ConfigurableModuleClass {
  static override forRoot(options: KafkaBatchMetricsOptions = {}): DynamicModule {
    return super.forRoot(options);
  }
}
