import { createTestDatabase, databaseUrl, TestDatabase } from '@org/testing';
import { Client } from 'pg';

const UNDEFINED_TABLE = '42P01';

/**
 * A new database for each run, left empty: the build under test creates its own schema with its
 * own migrations when it starts, so a baseline never runs on a schema from a later commit.
 */
export class RunDatabase {
  private constructor(
    private readonly database: TestDatabase,
    private readonly client: Client,
  ) {}

  static async create(): Promise<RunDatabase> {
    const database = await createTestDatabase('kb_bench_app');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    // No dirty pages or WAL of the previous run's rows left for this run's commits to wait on
    // (the database user needs superuser or pg_checkpoint rights, as for bench:e2e).
    await client.query('CHECKPOINT');
    return new RunDatabase(database, client);
  }

  get url(): string {
    return this.database.url;
  }

  /** Whether a reading is stored yet; false while the app has not created its tables. */
  async hasReadings(): Promise<boolean> {
    try {
      const { rows } = await this.client.query<{ stored: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM telemetry_readings) AS stored',
      );
      return rows[0].stored;
    } catch (err) {
      if ((err as { code?: string }).code === UNDEFINED_TABLE) return false;
      throw err;
    }
  }

  async readingRows(): Promise<number> {
    const { rows } = await this.client.query<{ count: string }>('SELECT count(*) FROM telemetry_readings');
    return Number(rows[0].count);
  }

  /** The version of the server the runs' databases are created on. */
  static async serverVersion(): Promise<string> {
    const client = new Client({ connectionString: databaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      return rows[0].server_version;
    } finally {
      await client.end();
    }
  }

  async drop(): Promise<void> {
    await this.client.end();
    await this.database.drop();
  }
}
