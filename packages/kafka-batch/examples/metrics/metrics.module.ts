import { Module } from '@nestjs/common';
import { KafkaBatchMetricsModule } from '@org/kafka-batch/metrics';
import { MetricsController } from './metrics.controller';

@Module({
  imports: [KafkaBatchMetricsModule.forRoot()],
  controllers: [MetricsController],
})
export class MetricsModule {}
