// @org/kafka-batch with the telemetry app's own handler: the app's listener, subclassed only to
// take the topic, group, batch size, concurrency and delivery mode under test (the app's decorator
// fixes them when the class is declared), with the app's other listener settings, and to report
// progress after each committed batch.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Batch, BatchListener, BatchTransaction, KafkaBatch, KafkaBatchModule } from '@org/kafka-batch';
import { kafkaBootstrap } from '@org/testing';
import { TelemetryConfigModule } from '@org/telemetry/config/telemetry-config.module';
import { DatabaseModule } from '@org/telemetry/database/database.module';
import { MetricsModule } from '@org/telemetry/metrics/metrics.module';
import type { ReadingDto } from '@org/telemetry/readings/reading.dto';
import { ReadingsModule } from '@org/telemetry/readings/readings.module';
import {
  READINGS_LISTENER_ID,
  READINGS_LISTENER_OPTIONS,
  TelemetryReadingsListener,
} from '@org/telemetry/readings/telemetry-readings.listener';
import type { EntityManager } from 'typeorm';
import { consumerSettingsFromEnv } from './consumer.settings';
import { ProgressReporter } from './progress.reporter';

const settings = consumerSettingsFromEnv();
const progress = new ProgressReporter(settings.tickMs);

@Injectable()
class BenchReadingsListener extends TelemetryReadingsListener {
  @BatchListener({
    ...READINGS_LISTENER_OPTIONS,
    id: 'bench-readings',
    topics: [settings.topic],
    maxPollRecords: settings.batchSize,
    concurrency: settings.concurrency,
    // At-least-once: the same handler, its writer in a transaction of its own (no offsets in it).
    exactlyOnce: settings.delivery === 'exactly-once',
    autoStartup: true,
  })
  override async onReadings(
    @Batch() batch: KafkaBatch<ReadingDto>,
    @BatchTransaction() transaction: EntityManager,
  ): Promise<void> {
    await super.onReadings(batch, transaction);
    progress.done(batch.records.map((record) => record.timestamp));
  }
}

@Module({
  imports: [
    TelemetryConfigModule,
    // The app's own listener comes with ReadingsModule: it stays stopped, this one replaces it.
    KafkaBatchModule.forRoot({
      brokers: kafkaBootstrap(),
      clientId: 'bench',
      defaults: { groupId: settings.groupId, autoStartup: false },
      listeners: { [READINGS_LISTENER_ID]: { topics: [settings.topic] } },
    }),
    DatabaseModule,
    ReadingsModule,
    MetricsModule,
  ],
  providers: [BenchReadingsListener],
})
class BatchListenerBenchModule {}

NestFactory.createApplicationContext(BatchListenerBenchModule, { logger: ['error', 'warn'] }).then(
  async (app) => {
    app.enableShutdownHooks();
    await app.init();
    progress.start();
  },
);
