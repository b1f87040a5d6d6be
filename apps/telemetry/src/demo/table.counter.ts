import { Client } from 'pg';

/** Row counts straight from the database; a table that does not exist yet has none. */
export async function countRows(url: string, tables: string[]): Promise<Record<string, number>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const { rows } = await client.query<{ exists: boolean }>(
        'SELECT to_regclass($1) IS NOT NULL AS exists',
        [table],
      );
      counts[table] = rows[0].exists
        ? Number((await client.query<{ count: string }>(`SELECT count(*) FROM ${table}`)).rows[0].count)
        : 0;
    }
    return counts;
  } finally {
    await client.end();
  }
}
