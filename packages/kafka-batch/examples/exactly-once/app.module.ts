import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KafkaBatchModule, KafkaBatchOffsetsMigration } from '@org/kafka-batch';
import { BulkRepositoryModule } from '@org/kafka-batch/persistence';
import { Reading } from '../readings/reading.entity';
import { CountingConsumer } from './counting.consumer';

@Module({
  imports: [
    KafkaBatchModule.forRoot({ brokers: 'localhost:9092' }),
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [Reading],
      // Creates kafka_batch_offsets; your own migrations create the rest.
      migrations: [KafkaBatchOffsetsMigration],
      migrationsRun: true,
    }),
    BulkRepositoryModule.forFeature([Reading]),
  ],
  providers: [CountingConsumer],
})
export class AppModule {}
