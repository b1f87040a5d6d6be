import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KafkaBatchModule } from '@org/kafka-batch';
import { BulkRepositoryModule } from '@org/kafka-batch/persistence';
import { Reading } from './reading.entity';
import { ReadingsConsumer } from './readings.consumer';

@Module({
  imports: [
    KafkaBatchModule.forRoot({ brokers: 'localhost:9092', clientId: 'telemetry' }),
    TypeOrmModule.forRoot({ type: 'postgres', url: process.env.DATABASE_URL, entities: [Reading] }),
    BulkRepositoryModule.forFeature([Reading]),
  ],
  providers: [ReadingsConsumer],
})
export class AppModule {}
