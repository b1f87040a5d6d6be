import type { BatchListenerOptions, LibrdkafkaConfig } from './batch-listener-options.interface';

export interface KafkaBatchModuleOptions {
  /** Bootstrap servers: "host:port,host:port" or a list. */
  brokers: string | string[];
  /** client.id prefix for consumers, the dead-letter producer and the admin client. Default "kafka-batch". */
  clientId?: string;
  /** Defaults for every listener; a listener's own options win. */
  defaults?: Omit<BatchListenerOptions, 'id' | 'topics' | 'topicPattern'>;
  /**
   * Options of listeners by id, over their decorator's (topics and group included): settings from
   * configuration, e.g. in `forRootAsync`. Validated like decorator options; an id that no
   * @BatchListener has fails the start.
   */
  listeners?: Record<string, Omit<BatchListenerOptions, 'id'>>;
  /** librdkafka properties for every client (SSL, SASL, …), e.g. `{ 'security.protocol': 'sasl_ssl' }`. */
  rdkafka?: LibrdkafkaConfig;
  /** The lag monitor behind readiness and the lag metrics. */
  lag?: LagMonitorOptions;
}

export interface LagMonitorOptions {
  /** Sample committed and end offsets. Default true. */
  enabled?: boolean;
  /** Time between samples, 100..3600000 ms. Default 5000. */
  intervalMs?: number;
  /** Samples in the sliding window the status is judged on (Burrow's window), 2..1000. Default 10. */
  windowSize?: number;
}
