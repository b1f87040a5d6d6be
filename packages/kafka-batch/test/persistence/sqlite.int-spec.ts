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
