import { Injectable } from '@nestjs/common';
import { BulkRepository, BulkWriteResult, InjectBulkRepository } from '@org/kafka-batch/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { deviceMinutesOf, incrementDeviceMinutes } from './device-minutes';
import { DeviceLatest } from './device-latest.entity';
import { storedRows } from './reading.mapper';
import type { ReadingDto } from './reading.dto';
import { TelemetryReading } from './telemetry-reading.entity';

export interface ReadingsWriteResult {
  readings: BulkWriteResult;
  devices: BulkWriteResult;
}

const READING_VALUES = ['temperature', 'humidity', 'power', 'battery', 'firmware', 'rssi'] as const;

/**
 * Writes a batch of validated readings: every reading, each device's latest state and the
 * per-minute counts, in one transaction (the caller's, or its own), so a batch is either fully
 * stored or not at all. Independent of Kafka, so benchmarks and other transports can reuse it.
 */
@Injectable()
export class TelemetryReadingsWriter {
  constructor(
    private readonly dataSource: DataSource,
    @InjectBulkRepository(TelemetryReading) private readonly readings: BulkRepository<TelemetryReading>,
    @InjectBulkRepository(DeviceLatest) private readonly devices: BulkRepository<DeviceLatest>,
  ) {}

  write(batch: readonly ReadingDto[], transaction?: EntityManager): Promise<ReadingsWriteResult> {
    return transaction
      ? this.writeIn(transaction, batch)
      : this.dataSource.transaction((manager) => this.writeIn(manager, batch));
  }

  private async writeIn(manager: EntityManager, batch: readonly ReadingDto[]): Promise<ReadingsWriteResult> {
    const rows = storedRows(batch);
    const readings = await this.readings.upsertMany(rows, {
      conflictPaths: ['deviceId', 'recordedAt'],
      update: [...READING_VALUES],
      manager,
    });
    // Each device's newest reading of the batch, and only forward in time: a late resend or a
    // redelivered old batch leaves a newer state alone.
    const devices = await this.devices.upsertMany(rows, {
      conflictPaths: ['deviceId'],
      update: ['recordedAt', ...READING_VALUES, 'updatedAt'],
      updateIfNewer: 'recordedAt',
      manager,
    });
    await incrementDeviceMinutes(manager, deviceMinutesOf(batch));
    return { readings, devices };
  }
}
