import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { DeviceMinutesController } from './device-minutes.controller';
import { TelemetryReadingsListener } from './telemetry-readings.listener';
import { TelemetryReadingsWriter } from './telemetry-readings.writer';

/** The writer alone is exported: benchmarks and other transports reuse it without the listener. */
@Module({
  imports: [MetricsModule],
  controllers: [DeviceMinutesController],
  providers: [TelemetryReadingsWriter, TelemetryReadingsListener],
  exports: [TelemetryReadingsWriter],
})
export class ReadingsModule {}
