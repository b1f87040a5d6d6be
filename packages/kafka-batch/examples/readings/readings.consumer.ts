import { Injectable } from '@nestjs/common';
import { Acknowledgment, BatchListener, KafkaBatch } from '@org/kafka-batch';
import { BulkRepository, InjectBulkRepository } from '@org/kafka-batch/persistence';
import { ReadingDto } from './reading.dto';
import { Reading } from './reading.entity';

@Injectable()
export class ReadingsConsumer {
  constructor(@InjectBulkRepository(Reading) private readonly readings: BulkRepository<Reading>) {}

  @BatchListener({
    topics: ['telemetry'],
    groupId: 'telemetry-writer',
    maxPollRecords: 500,
    ackMode: 'manual',
    validate: ReadingDto, // invalid values go to telemetry.DLT with the reason, never to this method
  })
  async onBatch(batch: KafkaBatch<ReadingDto>, ack: Acknowledgment): Promise<void> {
    // One statement for the whole batch; upserting on the natural key makes a redelivery harmless.
    await this.readings.upsertMany(batch.values, {
      conflictPaths: ['deviceId', 'measuredAt'],
      update: ['temperature', 'humidity'],
    });
    ack.acknowledge();
  }
}
