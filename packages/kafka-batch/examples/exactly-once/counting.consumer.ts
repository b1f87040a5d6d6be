import { Injectable } from '@nestjs/common';
import { Batch, BatchListener, BatchTransaction, KafkaBatch } from '@org/kafka-batch';
import { BulkRepository, InjectBulkRepository } from '@org/kafka-batch/persistence';
import type { EntityManager } from 'typeorm';
import { ReadingDto } from '../readings/reading.dto';
import { Reading } from '../readings/reading.entity';

@Injectable()
export class CountingConsumer {
  constructor(@InjectBulkRepository(Reading) private readonly readings: BulkRepository<Reading>) {}

  @BatchListener({
    topics: ['telemetry'],
    groupId: 'telemetry-counter',
    validate: ReadingDto,
    exactlyOnce: true, // the default DataSource, offsets in table kafka_batch_offsets
  })
  async onBatch(
    @Batch() batch: KafkaBatch<ReadingDto>,
    @BatchTransaction() manager: EntityManager,
  ): Promise<void> {
    // Everything written through `manager` commits with the batch's offsets, or not at all.
    await this.readings.upsertMany(batch.values, {
      conflictPaths: ['deviceId', 'measuredAt'],
      update: ['temperature', 'humidity'],
      manager,
    });
    // An increment: a batch stored twice would count twice. This mode stores each batch once.
    await manager.query(
      `INSERT INTO device_counts (device_id, readings)
       SELECT d, count(*) FROM unnest($1::text[]) AS d GROUP BY d
       ON CONFLICT (device_id) DO UPDATE SET readings = device_counts.readings + excluded.readings`,
      [batch.values.map((v) => v.deviceId)],
    );
  }
}
