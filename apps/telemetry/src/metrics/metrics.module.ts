import { Module } from '@nestjs/common';
import { KafkaBatchMetricsModule } from '@org/kafka-batch/metrics';
import { MetricsController } from './metrics.controller';
import { TelemetryMetrics } from './telemetry.metrics';

@Module({
  imports: [KafkaBatchMetricsModule.forRoot()],
  controllers: [MetricsController],
  providers: [TelemetryMetrics],
  exports: [TelemetryMetrics],
})
export class MetricsModule {}
