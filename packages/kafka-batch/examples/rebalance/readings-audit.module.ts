import { Module } from '@nestjs/common';
import { KafkaBatchModule } from '@org/kafka-batch';
import { AuditRebalanceListener } from './audit.rebalance-listener';
import { ReadingsAuditConsumer } from './readings-audit.consumer';

@Module({
  imports: [KafkaBatchModule.forRoot({ brokers: 'localhost:9092' })],
  providers: [AuditRebalanceListener, ReadingsAuditConsumer],
})
export class ReadingsAuditModule {}
