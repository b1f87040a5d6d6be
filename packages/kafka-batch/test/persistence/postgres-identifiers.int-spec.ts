import { BULK_STRATEGIES, BulkRepository } from '@org/kafka-batch/persistence';
import { createTestDatabase, TestDatabase } from '@org/testing';
import { DataSource } from 'typeorm';
import { postgresDataSource } from './data-sources';
import { ODDLY_NAMED_TABLE, OddlyNamed } from './entities';

const STRATEGIES = BULK_STRATEGIES;
const TABLE = '"odd ""quoted"" table"';

const row = (key: string, value: number, seenAt: Date | null = null): OddlyNamed => ({ key, value, seenAt });

describe('BulkRepository on PostgreSQL: identifiers holding quotes and spaces', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let bulk: BulkRepository<OddlyNamed>;

  beforeAll(async () => {
    database = await createTestDatabase('kb_bulk_names');
    dataSource = await postgresDataSource(database.url, [OddlyNamed], { synchronize: false });
    await dataSource.query(ODDLY_NAMED_TABLE);
    bulk = new BulkRepository(dataSource, OddlyNamed);
  });

  beforeEach(() => dataSource.query(`TRUNCATE ${TABLE}`));

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  // TypeORM's own queries break on these names too, hence SQL.
  const stored = async (): Promise<[string, number][]> => {
    const rows: { key: string; value: number }[] = await dataSource.query(
      `SELECT "the ""key""" AS key, "a ""value""" AS value FROM ${TABLE} ORDER BY 1`,
    );
    return rows.map(({ key, value }) => [key, value]);
  };

  it.each(STRATEGIES)('%s inserts, skips conflicts and upserts', async (strategy) => {
    expect(await bulk.insertMany([row('a', 1), row('b', 2)], { strategy })).toMatchObject({ inserted: 2 });
    expect(await bulk.insertManyIgnoringConflicts([row('b', 20), row('c', 3)], { strategy })).toMatchObject({
      inserted: 1,
      skipped: 1,
    });

    const upserted = await bulk.upsertMany([row('a', 10), row('d', 4)], {
      conflictPaths: ['key'],
      update: ['value'],
      strategy,
    });

    expect(upserted).toMatchObject({ inserted: 1, updated: 1 });
    expect(await stored()).toEqual([
      ['a', 10],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ]);
  });

  it.each(STRATEGIES)('%s guards an upsert by a column whose name holds quotes', async (strategy) => {
    const noon = new Date('2026-01-01T12:00:00Z');
    const earlier = new Date('2026-01-01T11:00:00Z');
    const later = new Date('2026-01-01T13:00:00Z');
    await bulk.insertMany([row('a', 1, noon), row('b', 2, noon)]);

    const result = await bulk.upsertMany([row('a', 10, earlier), row('b', 20, later)], {
      conflictPaths: ['key'],
      update: ['value', 'seenAt'],
      updateIfNewer: 'seenAt',
      strategy,
    });

    expect(result).toMatchObject({ inserted: 0, updated: 1, skipped: 1 });
    expect(await stored()).toEqual([
      ['a', 1],
      ['b', 20],
    ]);
  });

  it('names the table in errors as SQL would', async () => {
    await bulk.insertMany([row('a', 1)]);

    await expect(bulk.insertMany([row('a', 1)], { strategy: 'unnest' })).rejects.toMatchObject({
      table: TABLE,
    });
  });
});
