import { Logger } from '@nestjs/common';
import { inspect } from 'node:util';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's messages, through Nest's logger.
 *
 * A failed query is not logged here by default: TypeORM hands it over with its bound values (for a
 * bulk write, every reading of the batch, personal data in many deployments), and whoever gets the
 * error logs it without them (a bulk write's BulkWriteError names the table, the rows and the
 * SQLSTATE). DATABASE_LOG_PARAMETERS=true logs it here too, with the statement, the database's
 * detail and the values: for debugging on a database whose rows the log's readers may see.
 */
export class DatabaseLogger implements TypeOrmLogger {
  private readonly logger = new Logger('TypeORM');

  constructor(private readonly logParameters: boolean) {}

  logQueryError(error: string | Error, query: string, parameters?: unknown[]): void {
    if (!this.logParameters) return;
    const { message, detail } =
      typeof error === 'string' ? { message: error } : (error as { detail?: string } & Error);
    this.logger.warn(
      `query failed: ${message}${detail ? `; ${detail}` : ''}\n${query}\n` +
        `parameters: ${inspect(parameters, { depth: 2, maxArrayLength: 1_000, breakLength: Infinity })}`,
    );
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`query took ${time} ms: ${query}`);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }

  // Every statement, and the progress of migrations: TypeORM's debugging output, not the service's.
  logQuery(): void {}

  logSchemaBuild(): void {}
}
