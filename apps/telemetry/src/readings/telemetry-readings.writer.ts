import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ReadingDto } from './reading.dto';
import { ReadingsWriteCounts, WRITE_READINGS_SQL, writeReadingsParameters } from './readings.statement';

export interface ReadingsWriteResult extends ReadingsWriteCounts {
  /** Readings superseded by a later one of the same device and time in the same batch. */
  duplicatesInBatch: number;
}

/**
 * Writes a batch of validated readings: every reading, each device's latest state and the
 * per-minute counts, in one statement (readings.statement.ts) in the caller's transaction or its
 * own, so a batch is either fully stored or not at all. Independent of Kafka, so benchmarks and
 * other transports can reuse it.
 */
@Injectable()
export class TelemetryReadingsWriter {
  constructor(private readonly dataSource: DataSource) {}

  async write(batch: readonly ReadingDto[], transaction?: EntityManager): Promise<ReadingsWriteResult> {
    if (batch.length === 0)
      return { readingsWritten: 0, readingsInserted: 0, devicesUpdated: 0, duplicatesInBatch: 0 };
    const [counts]: ReadingsWriteCounts[] = await (transaction ?? this.dataSource).query(
      WRITE_READINGS_SQL,
      writeReadingsParameters(batch),
    );
    return { ...counts, duplicatesInBatch: batch.length - counts.readingsWritten };
  }
}
