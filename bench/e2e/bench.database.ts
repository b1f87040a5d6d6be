import { createTestDatabase, TestDatabase } from '@org/testing';
import { telemetryDataSourceOptions } from '@org/telemetry/database/telemetry.data-source';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

export const TELEMETRY_TABLES = [
  'telemetry_readings',
  'device_latest',
  'device_minutes',
  'kafka_batch_offsets',
];

/**
 * A database of its own on the test server, with the telemetry app's schema from its own
 * migrations; every variant starts from empty tables.
 */
export class BenchDatabase {
  private constructor(
    private readonly database: TestDatabase,
    readonly client: Client,
  ) {}

  static async create(): Promise<BenchDatabase> {
    const database = await createTestDatabase('kb_bench_e2e');
    const migrated = await new DataSource(telemetryDataSourceOptions(database.url)).initialize();
    await migrated.destroy();
    const client = new Client({ connectionString: database.url });
    await client.connect();
    return new BenchDatabase(database, client);
  }

  get url(): string {
    return this.database.url;
  }

  /**
   * Empty tables, and no dirty pages or WAL of an earlier run left to write back: a checkpoint
   * that the last run's millions of rows set off would otherwise stall this one's commits.
   */
  async empty(): Promise<void> {
    await this.client.query(`TRUNCATE ${TELEMETRY_TABLES.join(', ')}`);
    await this.client.query('VACUUM ANALYZE');
    await this.client.query('CHECKPOINT');
  }

  async readingRows(): Promise<number> {
    const { rows } = await this.client.query<{ count: string }>('SELECT count(*) FROM telemetry_readings');
    return Number(rows[0].count);
  }

  async serverVersion(): Promise<string> {
    const { rows } = await this.client.query<{ version: string }>(
      "SELECT current_setting('server_version') AS version",
    );
    return rows[0].version;
  }

  async drop(): Promise<void> {
    await this.client.end();
    await this.database.drop();
  }
}
