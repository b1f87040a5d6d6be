export { KafkaBatchMetricsModule } from './kafka-batch-metrics.module';
export type { KafkaBatchMetricsOptions } from './kafka-batch-metrics.options';
export { KafkaBatchMetrics } from './kafka-batch.metrics';
