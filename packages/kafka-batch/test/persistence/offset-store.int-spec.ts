import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@org/testing';
import { DataSource, EntityManager } from 'typeorm';
import type { ListenerInvoker } from '../../src/batch/batch.runner';
import { systemClock } from '../../src/common/clock';
import type { KafkaBatch, KafkaRecord } from '../../src/interfaces/kafka-record.interface';
import { OffsetTransactions } from '../../src/exactly-once/offset.transactions';
import { OffsetsFencedError } from '../../src/exactly-once/offsets-fenced.error';
import { KafkaBatchOffsetsMigration } from '../../src/exactly-once/offsets-table.migration';
import { TypeOrmOffsetStore } from '../../src/exactly-once/typeorm-offset.store';

const partition = { topic: 'readings', partition: 0 };
const batchOf = (from: number, to: number) =>
  ({
    records: Array.from({ length: to - from }, (_, i) => ({
      ...partition,
      offset: from + i,
      value: from + i,
    })),
  }) as unknown as KafkaBatch;

/** A member of the group on its own connection pool: the mode's transactions over the real table. */
async function member(options: ConstructorParameters<typeof DataSource>[0]) {
  const dataSource = await new DataSource({
    ...options,
    migrations: [KafkaBatchOffsetsMigration],
  }).initialize();
  await dataSource.runMigrations();
  const transactions = new OffsetTransactions(
    new TypeOrmOffsetStore(dataSource, 'kafka_batch_offsets'),
    'g',
    systemClock,
    new Logger('test'),
  );
  await transactions.restore([partition], new AbortController().signal);
  return { dataSource, transactions };
}

/** Counts each record's value in `counts` through the transaction; `held` keeps it open until released. */
function counting(held?: Promise<void>): ListenerInvoker & { calls: number } {
  const invoke = Object.assign(
    async (payload: KafkaBatch | KafkaRecord, _ack: unknown, manager?: unknown) => {
      invoke.calls++;
      for (const record of (payload as KafkaBatch).records)
        await (manager as EntityManager).query('UPDATE counts SET n = n + 1 WHERE id = $1', [record.value]);
      await held;
    },
    { calls: 0 },
  );
  return invoke;
}

describe('the offsets table on PostgreSQL: two members cannot both commit an offset range', () => {
  let database: TestDatabase;
  let a: Awaited<ReturnType<typeof member>>;
  let b: Awaited<ReturnType<typeof member>>;

  beforeEach(async () => {
    database = await createTestDatabase('kb_offsets');
    a = await member({ type: 'postgres', url: database.url });
    await a.dataSource.query('CREATE TABLE counts (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)');
    await a.dataSource.query('INSERT INTO counts (id) SELECT generate_series(0, 19)');
    b = await member({ type: 'postgres', url: database.url });
  });

  afterEach(async () => {
    await a.dataSource.destroy();
    await b.dataSource.destroy();
    await database.drop();
  });

  const counted = async () =>
    (await a.dataSource.query('SELECT sum(n)::int AS total, max(n) AS max FROM counts'))[0];

  it('a zombie holding its transaction open: the new owner waits for it, then is fenced and told where to go', async () => {
    let release!: () => void;
    const zombie = a.transactions.wrap(counting(new Promise<void>((resolve) => (release = resolve))))(
      batchOf(0, 10),
      undefined as never,
    );
    await waitForLock(a.dataSource);
    const owner = counting();
    const ownersTurn = b.transactions.wrap(owner)(batchOf(0, 10), undefined as never);
    const state = await Promise.race([
      ownersTurn.then(
        () => 'done',
        () => 'failed',
      ),
      sleep(500, 'waiting'),
    ]);
    expect(state).toBe('waiting');
    release();
    await zombie;
    const error = await ownersTurn.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OffsetsFencedError);
    expect((error as OffsetsFencedError).stored).toEqual([{ ...partition, offset: 10 }]);
    expect(owner.calls).toBe(0);
    expect(await counted()).toEqual({ total: 10, max: 1 });
    // Told where the partition is, the new owner goes on from there.
    await b.transactions.wrap(counting())(batchOf(10, 20), undefined as never);
    expect(await counted()).toEqual({ total: 20, max: 1 });
  });

  it('a zombie that resumes after the new owner committed is refused before its handler runs', async () => {
    await b.transactions.wrap(counting())(batchOf(0, 10), undefined as never);
    const zombie = counting();
    await expect(a.transactions.wrap(zombie)(batchOf(0, 10), undefined as never)).rejects.toThrow(
      'stored offsets moved under this member: readings[0] is at 10; the transaction was rolled back',
    );
    expect(zombie.calls).toBe(0);
    expect(await counted()).toEqual({ total: 10, max: 1 });
  });

  it('a handler that throws leaves neither rows nor offsets behind', async () => {
    const failing = async (payload: KafkaBatch | KafkaRecord, ack: unknown, manager?: unknown) => {
      await counting()(payload, ack as never, manager);
      throw new Error('handler failed');
    };
    await expect(a.transactions.wrap(failing)(batchOf(0, 10), undefined as never)).rejects.toThrow(
      'handler failed',
    );
    expect(await counted()).toEqual({ total: 0, max: 0 });
    await b.transactions.wrap(counting())(batchOf(0, 10), undefined as never);
    expect(await counted()).toEqual({ total: 10, max: 1 });
  });
});

describe('the offsets table on SQLite', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'kb-offsets-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the same compare-and-set: a stale member is fenced, nothing is counted twice, the table stays whole', async () => {
    const file = join(dir, 'db.sqlite');
    const a = await member({ type: 'better-sqlite3', database: file });
    await a.dataSource.query('CREATE TABLE counts (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)');
    for (let id = 0; id < 20; id++) await a.dataSource.query('INSERT INTO counts (id) VALUES (?)', [id]);
    const b = await member({ type: 'better-sqlite3', database: file });
    const sqliteCounting = async (payload: KafkaBatch | KafkaRecord, _ack: unknown, manager?: unknown) => {
      for (const record of (payload as KafkaBatch).records)
        await (manager as EntityManager).query('UPDATE counts SET n = n + 1 WHERE id = ?', [record.value]);
    };
    await b.transactions.wrap(sqliteCounting)(batchOf(0, 10), undefined as never);
    await expect(
      a.transactions.wrap(sqliteCounting)(batchOf(0, 10), undefined as never),
    ).rejects.toBeInstanceOf(OffsetsFencedError);
    await a.transactions.wrap(sqliteCounting)(batchOf(10, 20), undefined as never);
    expect(await a.dataSource.query('SELECT sum(n) AS total, max(n) AS max FROM counts')).toEqual([
      { total: 20, max: 1 },
    ]);
    expect(await a.dataSource.query('SELECT topic, partition, next_offset FROM kafka_batch_offsets')).toEqual(
      [{ topic: 'readings', partition: 0, next_offset: 20 }],
    );
    expect(await a.dataSource.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    await a.dataSource.destroy();
    await b.dataSource.destroy();
  });
});

const sleep = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

/** Until a session of this data source holds a transaction open (the zombie's). */
async function waitForLock(dataSource: DataSource): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [{ n }] = await dataSource.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'",
    );
    if (n > 0) return;
    await sleep(20, undefined);
  }
  throw new Error('the zombie never opened its transaction');
}
