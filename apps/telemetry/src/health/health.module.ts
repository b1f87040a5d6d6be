import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaBatchHealthModule } from '@org/kafka-batch/health';
import { TelemetryHealthController } from './telemetry.health.controller';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty' }), KafkaBatchHealthModule],
  controllers: [TelemetryHealthController],
})
export class HealthModule {}
