import { KafkaOptions } from '@nestjs/microservices';

// The options object of Transport.KAFKA: both transports take it as it is.
export const kafkaOptions: KafkaOptions['options'] = {
  client: {
    clientId: 'orders',
    brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
    ssl: true,
    sasl: {
      mechanism: 'scram-sha-512',
      username: process.env.KAFKA_USER ?? 'orders',
      password: process.env.KAFKA_PASSWORD ?? '',
    },
  },
  consumer: { groupId: 'orders', sessionTimeout: 30_000 },
  subscribe: { fromBeginning: true },
};
