import type { BatchListenerOptions, LibrdkafkaConfig } from './batch-listener-options.interface';

export interface KafkaBatchModuleOptions {
  /** Bootstrap servers: "host:port,host:port" or a list. */
  brokers: string | string[];
  /** client.id prefix for consumers, the dead-letter producer and the admin client. Default "kafka-batch". */
  clientId?: string;
  /** Defaults for every listener; a listener's own options win. */
  defaults?: Omit<BatchListenerOptions, 'id' | 'topics' | 'topicPattern'>;
  /** librdkafka properties for every client (SSL, SASL, …), e.g. `{ 'security.protocol': 'sasl_ssl' }`. */
  rdkafka?: LibrdkafkaConfig;
}
