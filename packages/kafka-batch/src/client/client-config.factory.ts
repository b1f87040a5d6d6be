import type { LibrdkafkaConfig } from '../interfaces/batch-listener-options.interface';
import type { KafkaBatchModuleOptions } from '../interfaces/kafka-batch-module-options.interface';

/** The properties every client of the module shares: brokers, client id and the SSL/SASL pass-through. */
export function commonClientConfig(options: KafkaBatchModuleOptions, role: string): LibrdkafkaConfig {
  const brokers = Array.isArray(options.brokers) ? options.brokers.join(',') : options.brokers;
  return {
    'bootstrap.servers': brokers,
    'client.id': `${options.clientId ?? 'kafka-batch'}-${role}`,
    ...options.rdkafka,
  };
}
