export { KafkaBatchTransport, type KafkaBatchTransportSettings } from './kafka-batch.transport';
export type { KafkaTransportOptions } from './kafkajs-options.translator';
export { KafkaBatchExceptionFilter } from './kafka-batch-exception.filter';
