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

export interface OpenTestDatabase extends TestDatabase {
  /** A connected client of the new database. */
  client: Client;
}

/** A fresh database with `schema` applied and a connected client; `drop()` closes the client too. */
export async function openTestDatabase(schema: string, prefix = 'kb_test'): Promise<OpenTestDatabase> {
  const database = await createTestDatabase(prefix);
  const client = new Client({ connectionString: database.url });
  await client.connect();
  await client.query(schema);
  return {
    ...database,
    client,
    drop: async () => {
      await client.end().catch(() => undefined);
      await database.drop();
    },
  };
}
