import type { Registry } from 'prom-client';

export interface KafkaBatchMetricsOptions {
  /** Prepended to every metric name. Default `kafka_batch_`. */
  prefix?: string;
  /** Where the metrics are registered. Default prom-client's global registry. */
  registry?: Registry;
}

export const KAFKA_BATCH_METRICS_OPTIONS = Symbol('KAFKA_BATCH_METRICS_OPTIONS');
