import { Injectable, Module } from '@nestjs/common';
import { BatchListener, KafkaBatch, KafkaBatchModule } from '@org/kafka-batch';

/** The application's configuration (with @nestjs/config: its ConfigService, the same way). */
@Injectable()
export class KafkaConfig {
  readonly brokers = process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092';
  readonly readingsTopic = process.env.READINGS_TOPIC ?? 'telemetry';
  readonly readingsGroup = process.env.READINGS_GROUP ?? 'telemetry-writer';
}

@Module({ providers: [KafkaConfig], exports: [KafkaConfig] })
export class KafkaConfigModule {}

@Injectable()
export class ReadingsConsumer {
  @BatchListener({ id: 'readings', maxPollRecords: 500 }) // topics and group: from the configuration
  async onBatch(batch: KafkaBatch): Promise<void> {
    console.log(`${batch.size} readings`);
  }
}

@Module({
  imports: [
    KafkaBatchModule.forRootAsync({
      imports: [KafkaConfigModule],
      inject: [KafkaConfig],
      useFactory: (config: KafkaConfig) => ({
        brokers: config.brokers,
        listeners: { readings: { topics: [config.readingsTopic], groupId: config.readingsGroup } },
      }),
    }),
  ],
  providers: [ReadingsConsumer],
})
export class ConfiguredAppModule {}
