import { Module } from '@nestjs/common';
import { BulkRepositoryModule } from '@org/kafka-batch/persistence';
import { MetricsModule } from '../metrics/metrics.module';
import { DeviceLatest } from './device-latest.entity';
import { DeviceMinutesController } from './device-minutes.controller';
import { TelemetryReading } from './telemetry-reading.entity';
import { TelemetryReadingsListener } from './telemetry-readings.listener';
import { TelemetryReadingsWriter } from './telemetry-readings.writer';

/** The writer alone is exported: benchmarks and other transports reuse it without the listener. */
@Module({
  imports: [BulkRepositoryModule.forFeature([TelemetryReading, DeviceLatest]), MetricsModule],
  controllers: [DeviceMinutesController],
  providers: [TelemetryReadingsWriter, TelemetryReadingsListener],
  exports: [TelemetryReadingsWriter],
})
export class ReadingsModule {}
