import { Client } from 'pg';
import { databaseUrl } from './env';
import { uniqueName } from './names';

export interface TestDatabase {
  /** Connection string of the new, empty database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates a fresh database on the test server (DATABASE_URL) so suites never see each other's rows. */
export async function createTestDatabase(prefix = 'kb_test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const admin = new Client({ connectionString: databaseUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(databaseUrl(), name),
    drop: async () => {
      const client = new Client({ connectionString: databaseUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
