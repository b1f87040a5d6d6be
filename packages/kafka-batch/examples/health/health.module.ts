import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaBatchHealthModule } from '@org/kafka-batch/health';
import { HealthController } from './health.controller';

// KafkaBatchHealthModule finds the listeners through KafkaBatchModule, registered globally by forRoot.
@Module({
  imports: [TerminusModule, KafkaBatchHealthModule],
  controllers: [HealthController],
})
export class HealthModule {}
