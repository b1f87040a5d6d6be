import { Injectable } from '@nestjs/common';
import { Acknowledgment, BatchListener, KafkaBatch } from '@org/kafka-batch';
import { BulkRepository, InjectBulkRepository } from '@org/kafka-batch/persistence';
import { DataSource } from 'typeorm';
import { ReadingDto } from '../readings/reading.dto';
import { Reading } from '../readings/reading.entity';
import { DeviceEvent } from './device-event.entity';
import { toEvents } from './device-event.mapper';

@Injectable()
export class ReadingsAndEventsConsumer {
  constructor(
    @InjectBulkRepository(Reading) private readonly readings: BulkRepository<Reading>,
    @InjectBulkRepository(DeviceEvent) private readonly events: BulkRepository<DeviceEvent>,
    private readonly dataSource: DataSource,
  ) {}

  @BatchListener({
    topics: ['telemetry'],
    groupId: 'telemetry-writer',
    ackMode: 'manual',
    validate: ReadingDto,
  })
  async onBatch(batch: KafkaBatch<ReadingDto>, ack: Acknowledgment): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.readings.upsertMany(batch.values, {
        conflictPaths: ['deviceId', 'measuredAt'],
        update: ['temperature', 'humidity'],
        manager,
      });
      await this.events.insertManyIgnoringConflicts(batch.values.flatMap(toEvents), { manager });
    });
    ack.acknowledge(); // only after both tables committed
  }
}
