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

/** Messages counted in the per-minute aggregate so far (0 before its table exists). */
export async function countedMessages(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ exists: boolean }>(
      "SELECT to_regclass('device_minutes') IS NOT NULL AS exists",
    );
    if (!rows[0].exists) return 0;
    const counted = await client.query<{ total: string }>(
      'SELECT coalesce(sum(messages), 0) AS total FROM device_minutes',
    );
    return Number(counted.rows[0].total);
  } finally {
    await client.end();
  }
}
