import { TracingShutdown } from './tracing/tracing.shutdown';
import { Module } from '@nestjs/common';
import { KafkaBatchModule } from '@org/kafka-batch';
import { TelemetryConfigModule } from './config/telemetry-config.module';
import { TELEMETRY_CONFIG, TelemetryConfig } from './config/telemetry.config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { ReadingsTopicInitializer } from './kafka/readings-topic.initializer';
import { MetricsModule } from './metrics/metrics.module';
import { TelemetryConsoleModule } from './console/telemetry-console.module';
import { ReadingsModule } from './readings/readings.module';
import { GroupLeaveInitializer } from './scaling/group-leave.initializer';
import { READINGS_LISTENER_ID } from './readings/telemetry-readings.listener';

@Module({
  imports: [
    TelemetryConfigModule,
    KafkaBatchModule.forRootAsync({
      inject: [TELEMETRY_CONFIG],
      useFactory: (config: TelemetryConfig) => ({
        brokers: config.kafkaBootstrap,
        clientId: 'telemetry',
        rdkafka: config.kafkaSecurity,
        // The listener's settings from the configuration, by its id: nothing is read from the
        // environment when its class is declared.
        listeners: {
          [READINGS_LISTENER_ID]: {
            topics: [config.topic],
            groupId: config.groupId,
            concurrency: config.concurrency,
            shutdownTimeoutMs: config.shutdownTimeoutMs,
          },
        },
        defaults: {
          // Four batches in flight: two running (concurrency 2) and one waiting for each. A reading
          // then lives for about 50 ms, and most die young: V8's background GC threads took half the
          // CPU per reading they took with the library's 10,000 (bench:app, bench/README.md).
          maxInFlightRecords: 2_000,
          rdkafka: {
            // A fetch brings up to this much of each partition (librdkafka's default is 1 MiB, 5,000
            // readings). Larger than about a third of the budget, the budget held readings of the
            // partitions already running only, and one batch ran where two could.
            'max.partition.fetch.bytes': 128 * 1024,
            // A fetch response of 1 MiB at most (librdkafka's default is 50 MiB, and its least
            // allowed value message.max.bytes, 1 MiB): with the small prefetch queue below, the
            // buffers librdkafka receives and decompresses into stay small, and so does the native
            // heap they leave behind (docs/KUBERNETES.md "Memory").
            'fetch.max.bytes': 1024 * 1024,
          },
          // Readings are about 200 bytes, so the record budget binds long before this; what it
          // bounds is librdkafka's prefetch queue (half of it): 2 MiB instead of 32 MiB of native
          // memory. With the fetch bound above, 12 MB less peak RSS draining 1,000,000 readings than
          // with 4 MiB and 50 MiB fetches, and no less throughput (bench/README.md "Smaller fetches").
          maxInFlightBytes: 4 * 1024 * 1024,
        },
      }),
    }),
    DatabaseModule,
    ReadingsModule,
    HealthModule,
    MetricsModule,
    TelemetryConsoleModule,
  ],
  providers: [ReadingsTopicInitializer, GroupLeaveInitializer, TracingShutdown],
})
export class AppModule {}
