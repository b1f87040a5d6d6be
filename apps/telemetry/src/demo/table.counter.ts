import { Client } from 'pg';

/** Row counts straight from the database; a table that does not exist yet has none. */
export function countRows(url: string, tables: string[]): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const counts: Record<string, number> = {};
    for (const table of tables) {
      counts[table] = (await tableExists(client, table))
        ? Number((await client.query<{ count: string }>(`SELECT count(*) FROM ${table}`)).rows[0].count)
        : 0;
    }
    return counts;
  });
}

/** Messages counted in the per-minute aggregate so far (0 before its table exists). */
export function countedMessages(url: string): Promise<number> {
  return withClient(url, async (client) => {
    if (!(await tableExists(client, 'device_minutes'))) return 0;
    const counted = await client.query<{ total: string }>(
      'SELECT coalesce(sum(messages), 0) AS total FROM device_minutes',
    );
    return Number(counted.rows[0].total);
  });
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function tableExists(client: Client, table: string): Promise<boolean> {
  const { rows } = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
    table,
  ]);
  return rows[0].exists;
}
