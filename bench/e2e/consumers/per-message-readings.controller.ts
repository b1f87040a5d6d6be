// The naive baseline's handler: one @EventPattern call per reading, validated by Nest's
// ValidationPipe, stored with TypeORM save() (a SELECT, then an INSERT or UPDATE, each in its own
// transaction). The same class runs on Transport.KAFKA and on KafkaBatchTransport.
import { Controller, Type } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { ReadingDto } from '@org/telemetry/readings/reading.dto';
import { latestPerDevice, toReadingRow } from '@org/telemetry/readings/reading.mapper';
import type { ProgressReporter } from './progress.reporter';
import { TelemetryRepositories } from './telemetry.repositories';

export function perMessageReadingsController(topic: string, progress: ProgressReporter): Type {
  @Controller()
  class PerMessageReadingsController {
    constructor(private readonly tables: TelemetryRepositories) {}

    @EventPattern(topic)
    async onReading(@Payload() reading: ReadingDto, @Ctx() context: KafkaContext): Promise<void> {
      await this.tables.readings.save(toReadingRow(reading));
      await this.tables.devices.save(latestPerDevice([reading]));
      progress.done([Number(context.getMessage().timestamp)]);
    }
  }
  return PerMessageReadingsController;
}
