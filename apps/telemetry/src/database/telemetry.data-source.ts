import type { DataSourceOptions } from 'typeorm';
import { DeviceLatest } from '../readings/device-latest.entity';
import { TelemetryReading } from '../readings/telemetry-reading.entity';
import { DatabaseLogger } from './database.logger';
import { KafkaBatchOffsetsMigration } from '@org/kafka-batch';
import { CreateTelemetryTables1767225600000 } from './migrations/1767225600000-create-telemetry-tables';
import { CreateDeviceMinutes1767312000000 } from './migrations/1767312000000-create-device-minutes';
import { DeviceIdsInByteOrder1767398400000 } from './migrations/1767398400000-device-ids-in-byte-order';

export const TELEMETRY_ENTITIES = [TelemetryReading, DeviceLatest];
/** The library's offsets table (exactly-once mode) comes with its own migration. */
export const TELEMETRY_MIGRATIONS = [
  CreateTelemetryTables1767225600000,
  KafkaBatchOffsetsMigration,
  CreateDeviceMinutes1767312000000,
  DeviceIdsInByteOrder1767398400000,
];

/**
 * The schema comes from the migrations (run at startup, each in a transaction), never from
 * `synchronize`, which would alter production tables behind the operator's back. `logParameters`:
 * DATABASE_LOG_PARAMETERS (see DatabaseLogger).
 */
export function telemetryDataSourceOptions(url: string, logParameters = false): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    logger: new DatabaseLogger(logParameters),
    entities: TELEMETRY_ENTITIES,
    migrations: TELEMETRY_MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'all',
    synchronize: false,
    // Two connections per concurrent batch leave room for the health check.
    extra: { max: 10, connectionTimeoutMillis: 10_000 },
  };
}
