import { Inject, Injectable, Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import { TELEMETRY_CONFIG, TelemetryConfig } from '../config/telemetry.config';
import { resolveDatabase, ResolvedDatabase } from './database.resolver';

export const RESOLVED_DATABASE = Symbol('RESOLVED_DATABASE');

export const resolvedDatabaseProvider: Provider = {
  provide: RESOLVED_DATABASE,
  inject: [TELEMETRY_CONFIG],
  useFactory: async (config: TelemetryConfig): Promise<ResolvedDatabase> => {
    const database = await resolveDatabase(config);
    new Logger('Database').log(`using ${database.description}`);
    return database;
  },
};

/**
 * Stops an embedded database last: onApplicationShutdown runs after the listeners have drained
 * (they stop in beforeApplicationShutdown).
 */
@Injectable()
export class ResolvedDatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(RESOLVED_DATABASE) private readonly database: ResolvedDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
