import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { TELEMETRY_CONFIG, TelemetryConfig } from '../config/telemetry.config';
import { ensureTopic } from './readings-topic';

/**
 * Runs before the listeners start (they start on application bootstrap): the topic exists when
 * the consumer subscribes, and an unreachable broker stops the start with its address.
 */
@Injectable()
export class ReadingsTopicInitializer implements OnModuleInit {
  private readonly logger = new Logger(ReadingsTopicInitializer.name);

  constructor(@Inject(TELEMETRY_CONFIG) private readonly config: TelemetryConfig) {}

  async onModuleInit(): Promise<void> {
    const { kafkaBootstrap, topic, partitions } = this.config;
    const result = await ensureTopic({
      bootstrap: kafkaBootstrap,
      topic,
      partitions,
      rdkafka: this.config.kafkaSecurity,
      clientId: 'telemetry-startup',
    });
    this.logger.log(`Kafka at ${kafkaBootstrap} answers`);
    if (result.outcome === 'created') {
      this.logger.log(`created topic ${topic} with ${result.partitions} partitions`);
    } else if (result.partitions !== partitions) {
      this.logger.warn(
        `topic ${topic} has ${result.partitions} partitions, TELEMETRY_PARTITIONS is ${partitions}: ` +
          `using the topic as it is (changing the count moves devices between partitions)`,
      );
    } else {
      this.logger.log(`topic ${topic} has ${result.partitions} partitions`);
    }
  }
}
