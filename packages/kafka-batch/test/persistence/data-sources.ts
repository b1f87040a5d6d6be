import { DataSource } from 'typeorm';
import type { EntityClassOrSchema } from '@org/kafka-batch/persistence';

/** `synchronize: false` for tables a test creates itself. */
export async function postgresDataSource(
  url: string,
  entities: EntityClassOrSchema[],
  { synchronize = true } = {},
): Promise<DataSource> {
  return new DataSource({ type: 'postgres', url, entities, synchronize }).initialize();
}

export async function sqliteDataSource(
  entities: EntityClassOrSchema[],
  { synchronize = true } = {},
): Promise<DataSource> {
  return new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities,
    synchronize,
  }).initialize();
}

export async function count(dataSource: DataSource, table: string): Promise<number> {
  const [{ n }] = await dataSource.query(`SELECT count(*) AS n FROM ${table}`);
  return Number(n);
}
