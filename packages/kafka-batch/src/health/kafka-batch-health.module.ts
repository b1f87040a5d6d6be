import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaBatchHealthIndicator } from './kafka-batch.health-indicator';

/**
 * Provides KafkaBatchHealthIndicator to a health controller. Needs KafkaBatchModule registered
 * globally (the default of `forRoot`).
 */
@Module({
  imports: [TerminusModule],
  providers: [KafkaBatchHealthIndicator],
  exports: [KafkaBatchHealthIndicator],
})
export class KafkaBatchHealthModule {}
