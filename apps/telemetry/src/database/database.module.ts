import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TELEMETRY_CONFIG, TelemetryConfig } from '../config/telemetry.config';
import { ResolvedDatabase } from './database.resolver';
import {
  RESOLVED_DATABASE,
  ResolvedDatabaseCloser,
  resolvedDatabaseProvider,
} from './resolved-database.provider';
import { telemetryDataSourceOptions } from './telemetry.data-source';

@Module({
  providers: [resolvedDatabaseProvider, ResolvedDatabaseCloser],
  exports: [RESOLVED_DATABASE],
})
class ResolvedDatabaseModule {}

/** TypeORM on whichever database the resolver found, with the schema migrated at startup. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [ResolvedDatabaseModule],
      inject: [RESOLVED_DATABASE, TELEMETRY_CONFIG],
      useFactory: (database: ResolvedDatabase, config: TelemetryConfig) => ({
        ...telemetryDataSourceOptions(database.url, config.databaseLogParameters),
        // Fail fast with the driver's message and let the orchestrator restart us, rather than
        // retry for half a minute behind an unready pod.
        retryAttempts: 2,
        retryDelay: 2_000,
      }),
    }),
  ],
})
export class DatabaseModule {}
