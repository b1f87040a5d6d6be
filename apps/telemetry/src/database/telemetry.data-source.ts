import type { DataSourceOptions } from 'typeorm';
import { DeviceLatest } from '../readings/device-latest.entity';
import { TelemetryReading } from '../readings/telemetry-reading.entity';
import { DatabaseLogger } from './database.logger';
import { CreateTelemetryTables1767225600000 } from './migrations/1767225600000-create-telemetry-tables';

export const TELEMETRY_ENTITIES = [TelemetryReading, DeviceLatest];
export const TELEMETRY_MIGRATIONS = [CreateTelemetryTables1767225600000];

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
