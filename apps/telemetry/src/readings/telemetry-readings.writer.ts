import { Injectable } from '@nestjs/common';
import { BulkRepository, BulkWriteResult, InjectBulkRepository } from '@org/kafka-batch/persistence';
import { DataSource } from 'typeorm';
import { DeviceLatest } from './device-latest.entity';
import { latestPerDevice, toReadingRow } from './reading.mapper';
import type { ReadingDto } from './reading.dto';
import { TelemetryReading } from './telemetry-reading.entity';

export interface ReadingsWriteResult {
  readings: BulkWriteResult;
  devices: BulkWriteResult;
}

const READING_VALUES = ['temperature', 'humidity', 'power', 'battery', 'firmware', 'rssi'] as const;

/**
 * Writes a batch of validated readings: every reading, and each device's latest state, in one
 * transaction, so a batch is either fully stored or not at all (and then redelivered).
 * Independent of Kafka, so benchmarks and other transports can reuse it.
 */
@Injectable()
export class TelemetryReadingsWriter {
  constructor(
    private readonly dataSource: DataSource,
    @InjectBulkRepository(TelemetryReading) private readonly readings: BulkRepository<TelemetryReading>,
    @InjectBulkRepository(DeviceLatest) private readonly devices: BulkRepository<DeviceLatest>,
  ) {}

  async write(batch: readonly ReadingDto[]): Promise<ReadingsWriteResult> {
    const readingRows = batch.map(toReadingRow);
    const deviceRows = latestPerDevice(batch);
    return this.dataSource.transaction(async (manager) => ({
      readings: await this.readings.upsertMany(readingRows, {
        conflictPaths: ['deviceId', 'recordedAt'],
        update: [...READING_VALUES],
        manager,
      }),
      // Only forward in time: a late resend or a redelivered old batch leaves a newer state alone.
      devices: await this.devices.upsertMany(deviceRows, {
        conflictPaths: ['deviceId'],
        update: ['recordedAt', ...READING_VALUES, 'updatedAt'],
        updateIfNewer: 'recordedAt',
        manager,
      }),
    }));
  }
}
