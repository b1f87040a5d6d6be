import { Module, Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaOptions, MicroserviceOptions, Transport } from '@nestjs/microservices';
import { KafkaBatchTransport } from '@org/kafka-batch/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { kafkaBootstrap } from '@org/testing';
import { TelemetryConfigModule } from '@org/telemetry/config/telemetry-config.module';
import { DatabaseModule } from '@org/telemetry/database/database.module';
import { TELEMETRY_ENTITIES } from '@org/telemetry/database/telemetry.data-source';
import { logLevel } from 'kafkajs';
import type { ConsumerSettings } from './consumer.settings';
import type { ProgressReporter } from './progress.reporter';
import { TelemetryRepositories } from './telemetry.repositories';

/**
 * Runs a controller the way NestJS users consume Kafka today: `@nestjs/microservices`' Kafka
 * transport (KafkaJS), one `@EventPattern` call per message, payloads validated by a global
 * ValidationPipe, offsets auto-committed by KafkaJS, and plain TypeORM repositories of the
 * telemetry app's tables on the app's database module. With 'kafka-batch', the same options
 * object goes to KafkaBatchTransport instead.
 */
export async function startKafkaMicroservice(
  controller: Type,
  settings: ConsumerSettings,
  progress: ProgressReporter,
  transport: 'kafkajs' | 'kafka-batch',
): Promise<void> {
  @Module({
    imports: [TelemetryConfigModule, DatabaseModule, TypeOrmModule.forFeature(TELEMETRY_ENTITIES)],
    controllers: [controller],
    providers: [TelemetryRepositories],
  })
  class KafkaMicroserviceModule {}

  const options: KafkaOptions['options'] = {
    client: { clientId: 'bench-naive', brokers: [kafkaBootstrap()], logLevel: logLevel.ERROR },
    consumer: { groupId: settings.groupId },
    // The group id as given (Nest appends "-server" by default), so the harness finds its lag.
    postfixId: '',
    subscribe: { fromBeginning: true },
    run: { autoCommit: true },
  };
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(KafkaMicroserviceModule, {
    // The one line a migration changes.
    ...(transport === 'kafkajs'
      ? { transport: Transport.KAFKA, options }
      : { strategy: new KafkaBatchTransport(options) }),
    logger: ['error', 'warn'],
  });
  app.useGlobalPipes(new ValidationPipe({ transform: true }));
  app.enableShutdownHooks();
  await app.listen();
  progress.start();
}
