import { BULK_STRATEGIES, BulkRepository, BulkWriteError } from '@org/kafka-batch/persistence';
import { createTestDatabase, TestDatabase } from '@org/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { count, postgresDataSource } from './data-sources';
import { DeviceEvent, Reading } from './entities';
import { readings } from './readings';

const STRATEGIES = BULK_STRATEGIES;

describe('BulkRepository on PostgreSQL: writes', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let bulk: BulkRepository<Reading>;
  let events: BulkRepository<DeviceEvent>;

  beforeAll(async () => {
    database = await createTestDatabase('kb_bulk_writes');
    dataSource = await postgresDataSource(database.url, [Reading, DeviceEvent]);
    bulk = new BulkRepository(dataSource, Reading);
    events = new BulkRepository(dataSource, DeviceEvent);
  });

  beforeEach(() => dataSource.query('TRUNCATE reading, device_event'));

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const stored = async () =>
    dataSource.getRepository(Reading).find({ order: { ts: 'ASC' } }) as Promise<Reading[]>;

  describe.each(STRATEGIES)('upsertMany with %s', (strategy) => {
    it('inserts new keys and overwrites only the chosen columns of existing ones', async () => {
      await bulk.insertMany(readings(4));
      const changed = readings(6, 0, 30).map((row) => ({ ...row, firmware: '2.0.0' }));

      const result = await bulk.upsertMany(changed, {
        conflictPaths: ['deviceId', 'ts'],
        update: ['temperature'],
        strategy,
      });

      expect(result).toMatchObject({ strategy, inserted: 2, updated: 4, written: 6, skipped: 0 });
      const rows = await stored();
      expect(rows.map((row) => row.temperature)).toEqual(changed.map((row) => row.temperature));
      expect(rows.map((row) => row.firmware)).toEqual(['1.0.0', '1.0.0', '1.0.0', '1.0.0', '2.0.0', '2.0.0']);
    });

    it('overwrites every column but the key with all-but-conflict', async () => {
      await bulk.insertMany(readings(2));
      const changed = readings(2, 0, 30).map((row) => ({ ...row, firmware: '2.0.0', battery: null }));

      await bulk.upsertMany(changed, {
        conflictPaths: ['deviceId', 'ts'],
        update: 'all-but-conflict',
        strategy,
      });

      expect(await stored()).toMatchObject(changed);
    });

    it('collapses rows sharing a key to the last one instead of failing', async () => {
      const [first, second] = readings(2);
      const batch = [first, { ...first, temperature: 1 }, second, { ...first, temperature: 3 }];

      const result = await bulk.upsertMany(batch, {
        conflictPaths: ['deviceId', 'ts'],
        update: 'all-but-conflict',
        strategy,
      });

      expect(result).toMatchObject({ inserted: 2, updated: 0, skipped: 2 });
      expect((await stored()).map((row) => row.temperature)).toEqual([3, second.temperature]);
    });
  });

  it('needs the collapsing: PostgreSQL rejects one upsert touching a key twice', async () => {
    const statement = `INSERT INTO reading (device_id, ts) VALUES ('a', '2026-01-01'), ('a', '2026-01-01')
      ON CONFLICT (device_id, ts) DO UPDATE SET temperature = EXCLUDED.temperature`;

    await expect(dataSource.query(statement)).rejects.toMatchObject({ code: '21000' });
  });

  it.each(STRATEGIES)('insertManyIgnoringConflicts with %s counts the skipped rows', async (strategy) => {
    await bulk.insertMany(readings(3));
    const batch = [...readings(5), readings(1, 4)[0]];

    const result = await bulk.insertManyIgnoringConflicts(batch, { strategy });

    expect(result).toMatchObject({ strategy, inserted: 2, updated: 0, written: 2, skipped: 4 });
    expect(await count(dataSource, 'reading')).toBe(5);
  });

  it('sends no statement for an empty input', async () => {
    const transaction = jest.spyOn(dataSource.manager, 'transaction');
    const createQueryRunner = jest.spyOn(dataSource, 'createQueryRunner');

    const results = [
      await bulk.insertMany([]),
      await bulk.insertManyIgnoringConflicts([]),
      await bulk.upsertMany([], { conflictPaths: ['deviceId', 'ts'], update: 'all-but-conflict' }),
    ];

    for (const result of results) {
      expect(result).toMatchObject({ inserted: 0, updated: 0, written: 0, skipped: 0, statements: 0 });
    }
    expect(transaction).not.toHaveBeenCalled();
    expect(createQueryRunner).not.toHaveBeenCalled();
    jest.restoreAllMocks();
  });

  it('chooses copy for large inserts and unnest otherwise on auto', async () => {
    expect((await bulk.insertMany(readings(10))).strategy).toBe('unnest');
    expect((await bulk.insertManyIgnoringConflicts(readings(6_000))).strategy).toBe('copy');
    const upsert = await bulk.upsertMany(readings(6_000), {
      conflictPaths: ['deviceId', 'ts'],
      update: ['power'],
    });
    expect(upsert.strategy).toBe('unnest');
  });

  describe('100,000 rows (700,000 values, over the 65,535 bind parameters of one statement)', () => {
    const rows = readings(100_000);

    it('values splits them into statements under the limit', async () => {
      const result = await bulk.upsertMany(rows, {
        conflictPaths: ['deviceId', 'ts'],
        update: 'all-but-conflict',
        strategy: 'values',
      });

      // 8 insertable columns (the generated id included): 8,191 rows per statement.
      expect(result).toMatchObject({ inserted: 100_000, statements: Math.ceil(100_000 / 8_191) });
      expect(await count(dataSource, 'reading')).toBe(100_000);
    });

    it('unnest binds one parameter per column, in chunks of chunkSize rows', async () => {
      const result = await bulk.upsertMany(rows, {
        conflictPaths: ['deviceId', 'ts'],
        update: 'all-but-conflict',
        strategy: 'unnest',
      });

      expect(result).toMatchObject({ inserted: 100_000, statements: 5 });
      expect(await count(dataSource, 'reading')).toBe(100_000);
    });

    it('control: one statement with 65,536 parameters fails in node-postgres', async () => {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const parameters = Array.from({ length: 65_536 }, (_, i) => i);
        const list = parameters.map((_, i) => `$${i + 1}::int`).join(',');
        const sql = `SELECT cardinality(ARRAY[${list}]) AS n`;
        await expect(client.query(sql, parameters.slice(0, 65_535).concat(0))).rejects.toThrow(
          /bind message supplies 0 parameters/,
        );
        const [{ n }] = (await client.query(sql.replace(',$65536::int', ''), parameters.slice(0, 65_535)))
          .rows;
        expect(n).toBe(65_535);
      } finally {
        await client.end();
      }
    });
  });

  describe("inside the caller's transaction", () => {
    it('commits both tables together, and only when the caller commits', async () => {
      await dataSource.transaction(async (manager) => {
        await bulk.insertMany(readings(3), { manager });
        await events.insertMany([{ id: 'e1', deviceId: 'device-1', kind: 'boot' }], { manager });
        // Another connection sees nothing yet: the writes joined this transaction.
        expect(await count(dataSource, 'reading')).toBe(0);
      });

      expect(await count(dataSource, 'reading')).toBe(3);
      expect(await count(dataSource, 'device_event')).toBe(1);
    });

    it('rolls back both tables when the second write fails', async () => {
      const failing = dataSource.transaction(async (manager) => {
        await bulk.insertMany(readings(3), { manager });
        await events.insertMany(
          [
            { id: 'e1', deviceId: 'device-1', kind: 'boot' },
            { id: 'e1', deviceId: 'device-1', kind: 'boot' },
          ],
          { manager },
        );
      });

      await expect(failing).rejects.toBeInstanceOf(BulkWriteError);
      expect(await count(dataSource, 'reading')).toBe(0);
      expect(await count(dataSource, 'device_event')).toBe(0);
    });

    it("joins a query runner's active transaction, which the caller rolls back", async () => {
      const queryRunner = dataSource.createQueryRunner();
      await queryRunner.startTransaction();
      try {
        const result = await bulk.insertMany(readings(10_000), { manager: queryRunner.manager });
        expect(result.strategy).toBe('copy');
        expect(await count(dataSource, 'reading')).toBe(0);
        await queryRunner.rollbackTransaction();
      } finally {
        await queryRunner.release();
      }
      expect(await count(dataSource, 'reading')).toBe(0);
    });
  });

  describe('failures', () => {
    it('names the table, the chunk, the rows and the constraint (not the key values), and commits no chunk', async () => {
      const chunked = new BulkRepository(dataSource, Reading, { chunkSize: 500 });
      const rows = readings(1_500);
      await chunked.insertMany([rows[1_234]]);

      const error = await chunked.insertMany(rows, { strategy: 'unnest' }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BulkWriteError);
      expect(error).toMatchObject({ table: '"reading"', constraint: 'reading_device_ts', code: '23505' });
      expect((error as BulkWriteError).message).toMatch(
        /^bulk insert into "reading" failed \(unnest, chunk 3\/3, rows 1000\.\.1499\): duplicate key value violates unique constraint "reading_device_ts" \(SQLSTATE 23505, constraint reading_device_ts\)$/,
      );
      expect(await count(dataSource, 'reading')).toBe(1);
    });

    it('names the column a NULL violates, without the failing row', async () => {
      const rows = readings(3);
      rows[1].deviceId = null as unknown as string;

      const error = await bulk.insertMany(rows, { strategy: 'unnest' }).catch((e: unknown) => e);

      expect(error).toMatchObject({ column: 'device_id', code: '23502' });
      expect((error as BulkWriteError).message).toMatch(/\(SQLSTATE 23502, column device_id\)$/);
    });

    it('points at the row COPY could not parse', async () => {
      const rows = readings(10);
      rows[7].temperature = 'warm' as unknown as number;

      const error = await bulk.insertMany(rows, { strategy: 'copy' }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BulkWriteError);
      expect(error).toMatchObject({ row: 7, code: '22P02' });
      expect((error as BulkWriteError).message).toMatch(
        /\(copy, chunk 1\/1, rows 0\.\.9, row 7\): invalid input syntax/,
      );
      expect(await count(dataSource, 'reading')).toBe(0);
    });

    it('surfaces a lost connection as a BulkWriteError with its cause', async () => {
      // A pool of its own: the killed connection must not be handed to later tests.
      const doomed = await postgresDataSource(database.url, [Reading, DeviceEvent]);
      const queryRunner = doomed.createQueryRunner();
      try {
        await queryRunner.startTransaction();
        const [{ pid }] = await queryRunner.query('SELECT pg_backend_pid() AS pid');
        await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);

        const error = await new BulkRepository(doomed, Reading)
          .insertMany(readings(5), { manager: queryRunner.manager })
          .catch((e: unknown) => e);

        expect(error).toBeInstanceOf(BulkWriteError);
        expect((error as BulkWriteError).cause).toBeInstanceOf(Error);
        // Depending on whether pg has already seen the server close the socket, the write meets the
        // termination itself or TypeORM's released runner: either way the connection is gone.
        expect((error as BulkWriteError).message).toMatch(/terminat|Query runner already released/i);
        expect(await count(dataSource, 'reading')).toBe(0);
      } finally {
        await queryRunner.release().catch(() => undefined);
        await doomed.destroy().catch(() => undefined);
      }
    });
  });
});
