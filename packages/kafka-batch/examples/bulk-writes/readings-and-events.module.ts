import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KafkaBatchModule } from '@org/kafka-batch';
import { BulkRepositoryModule } from '@org/kafka-batch/persistence';
import { Reading } from '../readings/reading.entity';
import { DeviceEvent } from './device-event.entity';
import { ReadingsAndEventsConsumer } from './readings-and-events.consumer';

@Module({
  imports: [
    KafkaBatchModule.forRoot({ brokers: 'localhost:9092' }),
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [Reading, DeviceEvent],
    }),
    BulkRepositoryModule.forFeature([Reading, DeviceEvent]),
  ],
  providers: [ReadingsAndEventsConsumer],
})
export class ReadingsAndEventsModule {}
