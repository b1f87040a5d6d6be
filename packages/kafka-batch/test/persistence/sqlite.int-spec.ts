import { BulkRepository, BulkStrategyName } from '@org/kafka-batch/persistence';
import Database from 'better-sqlite3';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { count, sqliteDataSource } from './data-sources';

@Entity({ name: 'sample' })
class Sample {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'integer' })
  n!: number;

  @Column({ type: 'real', nullable: true })
  value!: number | null;

  @Column({ type: 'boolean' })
  flag!: boolean;

  @Column({ type: 'datetime' })
  at!: Date;

  @Column({ type: 'simple-json' })
  doc!: { tags: string[] };

  @Column({ type: 'text', default: 'fresh' })
  state?: string;

  @Column({ name: 'free text', type: 'text', nullable: true })
  freeText!: string | null;
}

/** Quotes and spaces in the table's and the columns' names, which TypeORM's synchronize cannot create. */
@Entity({ name: 'odd "quoted" table' })
class OddlyNamed {
  @PrimaryColumn({ name: 'the "key"', type: 'text' })
  key!: string;

  @Column({ name: 'a "value"', type: 'integer' })
  value!: number;

  @Column({ name: 'seen "at"', type: 'datetime', nullable: true })
  seenAt!: Date | null;
}

const sample = (i: number, value = i / 2): Sample => ({
  key: `k${i}`,
  n: i,
  value,
  flag: i % 2 === 0,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)),
  doc: { tags: ['a', `t${i}`] },
  freeText: i % 3 ? `line\n"${i}"` : null,
});

const samples = (n: number, value?: number) => Array.from({ length: n }, (_, i) => sample(i, value));

describe('BulkRepository on SQLite (better-sqlite3)', () => {
  let dataSource: DataSource;
  let bulk: BulkRepository<Sample>;

  beforeEach(async () => {
    dataSource = await sqliteDataSource([Sample]);
    bulk = new BulkRepository(dataSource, Sample);
  });

  afterEach(() => dataSource.destroy());

  it('writes every column type through values, defaults included', async () => {
    const rows = samples(3);

    const result = await bulk.insertMany(rows);

    expect(result).toMatchObject({ strategy: 'values', inserted: 3, written: 3, statements: 1 });
    const stored = await dataSource.getRepository(Sample).find({ order: { n: 'ASC' } });
    expect(stored).toEqual(rows.map((row) => ({ ...row, state: 'fresh' })));
  });

  it('upserts, collapsing duplicate keys; SQLite cannot tell inserts from updates', async () => {
    await bulk.insertMany(samples(2));
    const batch = [...samples(3, 100), sample(0, 7)];

    const result = await bulk.upsertMany(batch, { conflictPaths: ['key'], update: ['value'] });

    expect(result).toMatchObject({ written: 3, skipped: 1, inserted: undefined, updated: undefined });
    const stored = await dataSource.getRepository(Sample).find({ order: { n: 'ASC' } });
    expect(stored.map((row) => row.value)).toEqual([7, 100, 100]);
  });

  it('counts the rows it skips on conflicts', async () => {
    await bulk.insertMany(samples(2));

    const result = await bulk.insertManyIgnoringConflicts(samples(5));

    expect(result).toMatchObject({ inserted: 3, written: 3, skipped: 2 });
  });

  it('upserts only rows newer than the stored ones with updateIfNewer, NULL counting as older', async () => {
    await bulk.insertMany([sample(1), { ...sample(2), value: null }, sample(3)]);
    const batch = [
      { ...sample(1, 0.25), n: 10 },
      { ...sample(2, 5), n: 20 },
      { ...sample(3, 9), n: 30 },
      { ...sample(3, 2), n: 31 },
      { ...sample(4, 1), n: 40 },
    ];

    const result = await bulk.upsertMany(batch, {
      conflictPaths: ['key'],
      update: ['value', 'n'],
      updateIfNewer: 'value',
    });

    // Skipped: the older k1, and the older k3 of the call.
    expect(result).toMatchObject({ written: 3, skipped: 2, inserted: undefined, updated: undefined });
    const stored = await dataSource.getRepository(Sample).find({ order: { key: 'ASC' } });
    expect(stored.map((row) => [row.key, row.n, row.value])).toEqual([
      ['k1', 1, 0.5],
      ['k2', 20, 5],
      ['k3', 30, 9],
      ['k4', 40, 1],
    ]);
  });

  it('orders datetime columns by instant with updateIfNewer', async () => {
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
    await bulk.insertMany([
      { ...sample(1), at: at(30) },
      { ...sample(2), at: at(30) },
    ]);

    const result = await bulk.upsertMany(
      [
        { ...sample(1, 10), at: at(9) },
        { ...sample(2, 20), at: at(31) },
        { ...sample(2, 30), at: at(5) },
      ],
      { conflictPaths: ['key'], update: ['value', 'at'], updateIfNewer: 'at' },
    );

    expect(result).toMatchObject({ written: 1, skipped: 2 });
    const stored = await dataSource.getRepository(Sample).find({ order: { key: 'ASC' } });
    expect(stored.map((row) => [row.value, row.at])).toEqual([
      [0.5, at(30)],
      [20, at(31)],
    ]);
  });

  it('quotes table and column names holding quotes and spaces, in a guarded upsert too', async () => {
    const odd = await sqliteDataSource([OddlyNamed], { synchronize: false });
    try {
      await odd.query(
        'CREATE TABLE "odd ""quoted"" table" ("the ""key""" text PRIMARY KEY, "a ""value""" integer NOT NULL, "seen ""at""" datetime)',
      );
      const names = new BulkRepository(odd, OddlyNamed);
      const row = (key: string, value: number, second: number) => ({
        key,
        value,
        seenAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)),
      });

      await names.insertMany([row('a', 1, 10), row('b', 2, 10)]);
      await names.insertManyIgnoringConflicts([row('b', 3, 10), row('c', 3, 10)]);
      const result = await names.upsertMany([row('a', 10, 5), row('b', 20, 15)], {
        conflictPaths: ['key'],
        update: ['value', 'seenAt'],
        updateIfNewer: 'seenAt',
      });

      expect(result).toMatchObject({ written: 1, skipped: 1 });
      expect(
        await odd.query(
          'SELECT "the ""key""" AS key, "a ""value""" AS value FROM "odd ""quoted"" table" ORDER BY 1',
        ),
      ).toEqual([
        { key: 'a', value: 1 },
        { key: 'b', value: 20 },
        { key: 'c', value: 3 },
      ]);
    } finally {
      await odd.destroy();
    }
  });

  it('rolls the whole call back when a chunk fails', async () => {
    const small = new BulkRepository(dataSource, Sample, { chunkSize: 10 });
    const rows = samples(30);
    rows[25] = sample(3);

    await expect(small.insertMany(rows)).rejects.toThrow(
      /bulk insert into "sample" failed \(values, chunk 3\/3, rows 20\.\.29\): .*UNIQUE constraint failed: sample\.key/,
    );
    expect(await count(dataSource, 'sample')).toBe(0);
  });

  it('stays under SQLite’s 32,766 bind variables per statement', async () => {
    // 8 columns: 4,095 rows per statement; 10,000 rows would need 80,000 variables in one.
    const result = await bulk.upsertMany(samples(10_000), {
      conflictPaths: ['key'],
      update: 'all-but-conflict',
    });

    expect(result).toMatchObject({ written: 10_000, statements: 3 });
    expect(await count(dataSource, 'sample')).toBe(10_000);
  });

  it('control: better-sqlite3 refuses a statement with 32,767 variables and takes 32,766', () => {
    const db = new Database(':memory:');
    const statement = (variables: number) =>
      `SELECT count(*) FROM (VALUES ${Array.from({ length: variables }, () => '(?)').join(',')})`;
    try {
      expect(() => db.prepare(statement(32_767))).toThrow(/too many SQL variables/);
      expect(
        db
          .prepare(statement(32_766))
          .pluck()
          .get(...Array.from({ length: 32_766 }, (_, i) => i)),
      ).toBe(32_766);
    } finally {
      db.close();
    }
  });

  it.each<BulkStrategyName>(['unnest', 'copy'])(
    'refuses the PostgreSQL-only %s strategy',
    async (strategy) => {
      await expect(bulk.insertMany(samples(1), { strategy })).rejects.toThrow(/needs the postgres driver/);
    },
  );
});
