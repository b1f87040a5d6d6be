// The naive baseline: one @EventPattern call per reading, validated by Nest's ValidationPipe,
// stored with TypeORM save() (a SELECT, then an INSERT or UPDATE, each in its own transaction).
import 'reflect-metadata';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { ReadingDto } from '@org/telemetry/readings/reading.dto';
import { latestPerDevice, toReadingRow } from '@org/telemetry/readings/reading.mapper';
import { consumerSettingsFromEnv } from './consumer.settings';
import { startKafkaMicroservice } from './kafka-microservice.bootstrap';
import { ProgressReporter } from './progress.reporter';
import { TelemetryRepositories } from './telemetry.repositories';

const settings = consumerSettingsFromEnv();
const progress = new ProgressReporter(settings.tickMs);

@Controller()
class PerMessageReadingsController {
  constructor(private readonly tables: TelemetryRepositories) {}

  @EventPattern(settings.topic)
  async onReading(@Payload() reading: ReadingDto, @Ctx() context: KafkaContext): Promise<void> {
    await this.tables.readings.save(toReadingRow(reading));
    await this.tables.devices.save(latestPerDevice([reading]));
    progress.done([Number(context.getMessage().timestamp)]);
  }
}

startKafkaMicroservice(PerMessageReadingsController, settings, progress);
